"""Routines: the exercise catalogue (``catalogue``), the choice of routine (``choice``) and the
safety screen (``safety``)."""

from posture.routines.catalogue import (
    CATALOGUE_PATH,
    KENDALL_TYPES,
    MUSCLE_NAMES,
    SCHEMA_PATH,
    SECONDS_PER_BREATH,
    TILT_CLASSES,
    Catalogue,
    CatalogueError,
    Dose,
    Exercise,
    Routine,
    RoutineItem,
    load_catalogue,
    validate_catalogue,
)
from posture.routines.choice import LOW_CONFIDENCE, choose_routine, routine_for_assessment

__all__ = [
    "CATALOGUE_PATH",
    "KENDALL_TYPES",
    "LOW_CONFIDENCE",
    "MUSCLE_NAMES",
    "SCHEMA_PATH",
    "SECONDS_PER_BREATH",
    "TILT_CLASSES",
    "Catalogue",
    "CatalogueError",
    "Dose",
    "Exercise",
    "Routine",
    "RoutineItem",
    "choose_routine",
    "load_catalogue",
    "routine_for_assessment",
    "validate_catalogue",
]
