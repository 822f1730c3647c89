"""The hip exercise catalogue: exercises, routines and the data file they are read from.

The catalogue is data: ``posture/routines/data/exercises.json``, checked against
``posture/routines/data/exercises.schema.json`` when it is loaded. Nothing is loaded at import
time; call ``load_catalogue()`` once and keep the result (for example behind
``st.cache_resource``). The choice of routine is in ``posture.routines.choice``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from posture.routines.safety import DISCLAIMER, RED_FLAGS, RedFlag
from posture.types import KendallType, TiltClass

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_PATH = DATA_DIR / "exercises.json"
SCHEMA_PATH = DATA_DIR / "exercises.schema.json"

SECONDS_PER_BREATH = 5.0
"""A slow breath (in and out) at about 12 breaths a minute, used to time holds."""

TILT_CLASSES: tuple[str, ...] = tuple(c.value for c in TiltClass)
"""The tilt classes' values ("anterior", "neutral", "posterior"), for the command's choices."""
KENDALL_TYPES: tuple[str | None, ...] = (None, *(k.value for k in KendallType))
"""No type, or a Kendall type's value ("ideal", "lordotic", "flat_back", "sway_back")."""
REQUIRED_ROUTINES: tuple[str, ...] = ("anterior", "neutral", "posterior", "sway_back")
"""The routines ``posture.routines.choice`` can give; a catalogue without one of them is refused."""

MUSCLE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "hip_flexors": "hip flexors",
        "glutes": "glutes",
        "hamstrings": "hamstrings",
        "abdominals": "abdominals",
        "obliques": "side abdominals (obliques)",
        "hip_rotators": "hip rotators",
        "hip_abductors": "outer hip (abductors)",
        "hip_adductors": "inner thighs (adductors)",
        "lower_back": "lower back",
        "back_extensors": "back extensors",
        "quadriceps": "front of the thighs (quadriceps)",
    }
)


class CatalogueError(ValueError):
    """The catalogue file is missing, not JSON, or does not match its schema."""


@dataclass(frozen=True)
class Dose:
    """How much of an exercise to do. Times are in seconds.

    One rep lasts ``tempo_seconds + hold_seconds + breaths * SECONDS_PER_BREATH``;
    ``setup_seconds`` is spent once per set and side (getting into position or an
    opening hold); ``rest_seconds`` is the pause between sets.
    """

    sets: int
    reps: int = 1
    per_side: bool = False
    tempo_seconds: float = 3.0
    hold_seconds: float = 0.0
    breaths: int = 0
    setup_seconds: float = 0.0
    rest_seconds: float = 0.0
    rep_unit: str = "reps"
    note: str | None = None

    @property
    def seconds(self) -> int:
        """Estimated time for the whole dose in seconds, all sets and both sides included."""
        rep = self.tempo_seconds + self.hold_seconds + self.breaths * SECONDS_PER_BREATH
        sides = 2 if self.per_side else 1
        work = self.sets * sides * (self.setup_seconds + self.reps * rep)
        return round(work + (self.sets - 1) * self.rest_seconds)

    def describe(self) -> str:
        """The dose in words, for example "2 sets of 8 reps on each side, rest 45 s between sets"."""
        if self.reps > 1:
            parts = [f"{self.sets} {'set' if self.sets == 1 else 'sets'} of {self.reps} {self.rep_unit}"]
        else:  # a single long hold: count rounds, not sets of one rep
            parts = [{1: "once", 2: "twice"}.get(self.sets, f"{self.sets} times")]
        if self.per_side:
            parts[0] += " each way" if self.rep_unit == "steps" else " on each side"
        if self.breaths:
            parts.append(f"hold for {self.breaths} slow breaths" + (" each time" if self.reps > 1 else ""))
        if self.hold_seconds:
            hold = f"{self.hold_seconds:g}"
            parts.append(f"hold {hold} s" + (" each rep" if self.reps > 1 else ""))
        if self.rest_seconds and self.sets > 1:
            between = "between sets" if self.reps > 1 else "in between"
            parts.append(f"rest {self.rest_seconds:g} s {between}")
        text = ", ".join(parts) + "."
        return f"{text[0].upper()}{text[1:]}" + (f" {self.note}" if self.note else "")


@dataclass(frozen=True)
class Exercise:
    """One exercise, complete enough to do it alone at home.

    ``stretches`` and ``strengthens`` hold muscle-group keys (see ``MUSCLE_NAMES``);
    ``avoid_if`` says when not to do it; ``pose`` is the picture's pose data for
    ``posture.render.illustrations`` or None when a picture would not help.
    """

    id: str
    name: str
    purpose: str
    stretches: tuple[str, ...]
    strengthens: tuple[str, ...]
    equipment: tuple[str, ...]
    steps: tuple[str, ...]
    dose: Dose
    cues: tuple[str, ...]
    common_mistake: str
    easier: str
    harder: str
    avoid_if: tuple[str, ...]
    pose: Mapping[str, Any] | None = None

    @property
    def kind(self) -> str:
        """ "stretch", "strengthen" or "stretch and strengthen"."""
        if self.stretches and self.strengthens:
            return "stretch and strengthen"
        return "stretch" if self.stretches else "strengthen"

    @property
    def targets(self) -> str:
        """What the exercise is for, in words: "Stretches hamstrings. Strengthens glutes."."""
        parts = []
        if self.stretches:
            parts.append("Stretches " + _join(MUSCLE_NAMES[m] for m in self.stretches) + ".")
        if self.strengthens:
            parts.append("Strengthens " + _join(MUSCLE_NAMES[m] for m in self.strengthens) + ".")
        return " ".join(parts)


@dataclass(frozen=True)
class RoutineItem:
    """An exercise in a routine and why it is there."""

    exercise: Exercise
    why: str

    @property
    def seconds(self) -> int:
        """Estimated time for this item in seconds (see ``Dose.seconds``)."""
        return self.exercise.dose.seconds


@dataclass(frozen=True)
class Routine:
    """An ordered set of exercises for one assessment.

    The catalogue holds the routine templates; ``choose_routine`` fills in the
    assessment it was chosen for (``tilt_class``, ``kendall_type``, ``confidence``),
    a ``note`` and ``retake_advice`` when they apply, the coaching ``disclaimer`` and
    the ``red_flags`` to ask before anyone starts.
    """

    id: str
    title: str
    goal: str
    rationale: str
    items: tuple[RoutineItem, ...]
    tilt_class: str | None = None
    kendall_type: str | None = None
    confidence: float | None = None
    note: str | None = None
    retake_advice: str | None = None
    disclaimer: str = DISCLAIMER
    red_flags: tuple[RedFlag, ...] = field(default=RED_FLAGS)

    @property
    def total_seconds(self) -> int:
        """Estimated time for the whole routine in seconds: the sum of its items."""
        return sum(item.seconds for item in self.items)

    @property
    def total_minutes(self) -> int:
        """``total_seconds`` rounded to the nearest whole minute (at least 1)."""
        return max(1, round(self.total_seconds / 60))

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(item.exercise for item in self.items)


@dataclass(frozen=True)
class Catalogue:
    """All exercises and routine templates, by id."""

    version: int
    exercises: Mapping[str, Exercise]
    routines: Mapping[str, Routine]


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and validate the exercise catalogue.

    Parameters
    ----------
    path : a catalogue JSON file; defaults to ``posture/data/exercises.json``.

    Raises
    ------
    CatalogueError : the file cannot be read, is not JSON, does not match the schema, or a
        routine names an exercise that does not exist. The message names the file and the
        field at fault.
    """
    path = Path(path) if path is not None else CATALOGUE_PATH
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CatalogueError(f"{path}: cannot read the catalogue: {exc}") from exc
    validate_catalogue(raw, source=str(path))
    exercises = {entry["id"]: _exercise(entry) for entry in raw["exercises"]}
    routines = {entry["id"]: _routine(entry, exercises) for entry in raw["routines"]}
    return Catalogue(raw["version"], MappingProxyType(exercises), MappingProxyType(routines))


def validate_catalogue(raw: Any, *, source: str = "catalogue") -> None:
    """Check parsed catalogue data against the schema and cross-references.

    Raises ``CatalogueError`` listing every problem as ``source: field.path: message``.
    """
    import jsonschema  # imported here so importing this module stays cheap

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    problems = [
        f"{source}: {_where(error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if not problems:
        problems = _cross_reference_problems(raw, source)
    if problems:
        raise CatalogueError("invalid exercise catalogue:\n" + "\n".join(problems))


def _join(words: Any) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _where(path: Any) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in path]
    return "".join(parts).lstrip(".") or "(top level)"


def _cross_reference_problems(raw: Mapping[str, Any], source: str) -> list[str]:
    problems = []
    for kind in ("exercises", "routines"):
        seen: set[str] = set()
        for i, entry in enumerate(raw[kind]):
            if entry["id"] in seen:
                problems.append(f"{source}: {kind}[{i}].id: duplicate id {entry['id']!r}")
            seen.add(entry["id"])
    exercise_ids = {entry["id"] for entry in raw["exercises"]}
    for i, routine in enumerate(raw["routines"]):
        for j, item in enumerate(routine["items"]):
            if item["exercise"] not in exercise_ids:
                problems.append(
                    f"{source}: routines[{i}].items[{j}].exercise: no exercise with id {item['exercise']!r}"
                )
    routine_ids = {entry["id"] for entry in raw["routines"]}
    for needed in sorted(set(REQUIRED_ROUTINES) - routine_ids):
        problems.append(f"{source}: routines: the routine {needed!r} is required but missing")
    return problems


def _exercise(entry: Mapping[str, Any]) -> Exercise:
    pose = entry["pose"]
    if pose is not None:
        pose = MappingProxyType({"prop": pose["prop"], "angles": MappingProxyType(dict(pose["angles"]))})
    return Exercise(
        id=entry["id"],
        name=entry["name"],
        purpose=entry["purpose"],
        stretches=tuple(entry["stretches"]),
        strengthens=tuple(entry["strengthens"]),
        equipment=tuple(entry["equipment"]),
        steps=tuple(entry["steps"]),
        dose=Dose(**entry["dose"]),
        cues=tuple(entry["cues"]),
        common_mistake=entry["common_mistake"],
        easier=entry["easier"],
        harder=entry["harder"],
        avoid_if=tuple(entry["avoid_if"]),
        pose=pose,
    )


def _routine(entry: Mapping[str, Any], exercises: Mapping[str, Exercise]) -> Routine:
    items = tuple(RoutineItem(exercises[item["exercise"]], item["why"]) for item in entry["items"])
    return Routine(
        id=entry["id"],
        title=entry["title"],
        goal=entry["goal"],
        rationale=entry["rationale"],
        items=items,
    )
