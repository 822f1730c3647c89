"""The exercise catalogue, the routine choice, and the no-copying rule for our text."""

import json
import math
import re
from pathlib import Path

import pytest

from posture import routines
from posture.routines import (
    CATALOGUE_PATH,
    KENDALL_TYPES,
    MUSCLE_NAMES,
    TILT_CLASSES,
    CatalogueError,
    Dose,
    choose_routine,
    load_catalogue,
    routine_for_assessment,
)
from posture.routines.safety import DISCLAIMER, RED_FLAGS
from posture.types import Assessment, KendallType, TiltClass

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
OUR_TEXT_FILES = [
    CATALOGUE_PATH,
    *sorted((REPO / "posture" / "routines").glob("*.py")),
    REPO / "posture" / "render" / "routine_sheet.py",
    REPO / "posture" / "render" / "routine_doc.py",
    REPO / "posture" / "render" / "routine_text.py",
    REPO / "posture" / "render" / "illustrations.py",
    REPO / "posture" / "render" / "wording.py",
    REPO / "posture" / "cli" / "routine.py",
]


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def routine_for(catalogue, tilt, kendall=None, confidence=0.9):
    return choose_routine(tilt, confidence=confidence, kendall_type=kendall, catalogue=catalogue)


# --- the catalogue -------------------------------------------------------------------------


def test_catalogue_loads_and_validates(catalogue):
    assert len(catalogue.exercises) == 22
    assert set(catalogue.routines) == {"anterior", "posterior", "sway_back", "neutral"}


@pytest.mark.parametrize(
    "exercise_id",
    [
        "wall_roll_down",
        "ninety_ninety_switch",
        "blocked_internal_rotation",
        "hip_airplane",
        "single_leg_bridge_hold",
        "seated_knee_lift",
        "banded_lateral_walk",
        "pigeon_pose",
        "seated_wide_leg_fold",
        "half_kneeling_tuck",
        "split_squat",
        "step_up",
        "single_leg_deadlift",
        "hip_thrust",
        "side_leg_raise",
        "bodyweight_squat",
    ],
)
def test_the_exercises_the_sources_describe_are_in_the_catalogue(catalogue, exercise_id):
    assert exercise_id in catalogue.exercises


@pytest.mark.parametrize(
    "exercise_id", [e["id"] for e in json.loads(CATALOGUE_PATH.read_text())["exercises"]]
)
def test_every_exercise_is_complete(catalogue, exercise_id):
    ex = catalogue.exercises[exercise_id]
    assert ex.name and ex.purpose.endswith(".")
    assert ex.stretches or ex.strengthens
    assert set(ex.stretches) | set(ex.strengthens) <= set(MUSCLE_NAMES)
    assert len(ex.steps) >= 3
    assert ex.dose.sets >= 1 and ex.dose.reps >= 1 and 20 <= ex.dose.seconds <= 300
    assert ex.cues and ex.common_mistake and ex.avoid_if
    assert ex.easier and ex.harder and ex.easier != ex.harder
    assert ex.targets.startswith(("Stretches", "Strengthens"))


def test_doses_follow_the_sources_where_they_give_numbers(catalogue):
    ex = catalogue.exercises
    # wall roll-down: 3 breaths in the middle and 3 to each side, repeated 2-3 times
    assert ex["wall_roll_down"].dose.breaths == 9 and 2 <= ex["wall_roll_down"].dose.sets <= 3
    # seated knee lift: lift, hold 3 counts, 10 reps
    assert (ex["seated_knee_lift"].dose.reps, ex["seated_knee_lift"].dose.hold_seconds) == (10, 3)
    # pigeon: 5-10 breaths a side; wide-leg fold: 8-10 breaths
    assert 5 <= ex["pigeon_pose"].dose.breaths <= 10 and ex["pigeon_pose"].dose.per_side
    assert 8 <= ex["seated_wide_leg_fold"].dose.breaths <= 10
    # single-leg bridge: 8 reps, then the other leg
    assert ex["single_leg_bridge_hold"].dose.reps == 8 and ex["single_leg_bridge_hold"].dose.per_side


def test_dose_time_can_be_checked_by_hand(catalogue):
    # seated knee lift: 10 reps x (2 s lift + 3 s hold) x 2 legs = 100 s
    assert catalogue.exercises["seated_knee_lift"].dose.seconds == 100
    # pigeon: (15 s to set up + 8 breaths x 5 s) x 2 sides = 110 s
    assert catalogue.exercises["pigeon_pose"].dose.seconds == 110
    # 2 sets x 2 sides x 8 reps x 3 s + one 45 s rest = 141 s
    assert Dose(sets=2, reps=8, per_side=True, tempo_seconds=3, rest_seconds=45).seconds == 141


@pytest.mark.parametrize(
    "dose, words",
    [
        (
            Dose(sets=2, reps=8, per_side=True, rest_seconds=45),
            "2 sets of 8 reps on each side, rest 45 s between sets.",
        ),
        (
            Dose(sets=1, breaths=8, per_side=True, tempo_seconds=0),
            "Once on each side, hold for 8 slow breaths.",
        ),
        (
            Dose(sets=2, reps=10, per_side=True, rep_unit="steps", rest_seconds=30),
            "2 sets of 10 steps each way, rest 30 s between sets.",
        ),
        (
            Dose(sets=2, hold_seconds=20, per_side=True, rest_seconds=20),
            "Twice on each side, hold 20 s, rest 20 s in between.",
        ),
    ],
)
def test_dose_in_words(dose, words):
    assert dose.describe() == words


# --- choosing a routine --------------------------------------------------------------------

EXPECTED_ROUTINE = {
    ("anterior", None): "anterior",
    ("anterior", "ideal"): "anterior",
    ("anterior", "lordotic"): "anterior",
    ("anterior", "flat_back"): "neutral",
    ("anterior", "sway_back"): "neutral",
    ("neutral", None): "neutral",
    ("neutral", "ideal"): "neutral",
    ("neutral", "lordotic"): "neutral",
    ("neutral", "flat_back"): "neutral",
    ("neutral", "sway_back"): "neutral",
    ("posterior", None): "posterior",
    ("posterior", "ideal"): "posterior",
    ("posterior", "flat_back"): "posterior",
    ("posterior", "sway_back"): "sway_back",
    ("posterior", "lordotic"): "neutral",
}


@pytest.mark.parametrize("tilt", TILT_CLASSES)
@pytest.mark.parametrize("kendall", KENDALL_TYPES)
def test_every_class_and_kendall_type_maps_to_a_complete_routine(catalogue, tilt, kendall):
    routine = routine_for(catalogue, tilt, kendall)
    assert routine.id == EXPECTED_ROUTINE[(tilt, kendall)]
    assert (routine.tilt_class, routine.kendall_type) == (tilt, kendall)
    assert 5 <= len(routine.items) <= 8
    assert routine.disclaimer == DISCLAIMER and routine.red_flags == RED_FLAGS
    assert routine.retake_advice is None


def targets(routine, kind):
    return {m for ex in routine.exercises for m in getattr(ex, kind)}


def test_anterior_routine_lengthens_the_front_and_strengthens_glutes_and_abdominals(catalogue):
    routine = routine_for(catalogue, "anterior", "lordotic")
    assert {"hip_flexors", "lower_back"} <= targets(routine, "stretches")
    assert {"glutes", "abdominals"} <= targets(routine, "strengthens")
    # it must not push the other way: no hip flexor strengthening, no glute or hamstring stretch
    assert "hip_flexors" not in targets(routine, "strengthens")
    assert not {"glutes", "hamstrings"} & targets(routine, "stretches")


def test_posterior_routine_lengthens_hamstrings_and_glutes_and_strengthens_hip_flexors_and_back(catalogue):
    routine = routine_for(catalogue, "posterior", "flat_back")
    assert {"hamstrings", "glutes"} <= targets(routine, "stretches")
    assert {"hip_flexors", "back_extensors"} <= targets(routine, "strengthens")
    assert "hip_flexors" not in targets(routine, "stretches")


def test_sway_back_is_not_treated_like_flat_back(catalogue):
    sway = routine_for(catalogue, "posterior", "sway_back")
    flat = routine_for(catalogue, "posterior", "flat_back")
    sway_ids = {ex.id for ex in sway.exercises}
    assert "prone_back_extension" in {ex.id for ex in flat.exercises}
    assert "prone_back_extension" not in sway_ids  # no extra arching for a hinged lower back
    assert {"hip_stack_drill", "side_plank_knees"} <= sway_ids
    assert "hamstrings" in targets(sway, "stretches") and "hip_flexors" in targets(sway, "strengthens")
    assert "sway-back" in sway.title


def test_neutral_routine_keeps_mobility_and_strength(catalogue):
    routine = routine_for(catalogue, "neutral")
    assert "hip_rotators" in targets(routine, "stretches")
    assert {"glutes", "hip_abductors"} <= targets(routine, "strengthens")


@pytest.mark.parametrize("tilt", TILT_CLASSES)
def test_low_confidence_gives_the_neutral_routine_and_retake_advice(catalogue, tilt):
    routine = routine_for(catalogue, tilt, confidence=0.49)
    assert routine.id == "neutral"
    assert "Retake the photo" in routine.retake_advice
    assert "49%" in routine.retake_advice


def test_confidence_of_one_half_is_not_low(catalogue):
    assert routine_for(catalogue, "anterior", confidence=0.5).id == "anterior"


def test_disagreeing_measures_get_the_balanced_routine_with_a_note(catalogue):
    routine = routine_for(catalogue, "anterior", "flat_back")
    assert routine.id == "neutral"
    assert "opposite directions" in routine.note


def test_enums_from_posture_types_are_accepted(catalogue):
    routine = choose_routine(
        TiltClass.POSTERIOR, confidence=0.8, kendall_type=KendallType.SWAY_BACK, catalogue=catalogue
    )
    assert routine.id == "sway_back" and routine.kendall_type == "sway_back"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"tilt_class": "forward", "confidence": 0.9}, "tilt_class"),
        ({"tilt_class": "anterior", "confidence": 0.9, "kendall_type": "kyphotic"}, "kendall_type"),
        ({"tilt_class": "anterior", "confidence": 1.5}, "confidence"),
        ({"tilt_class": "anterior", "confidence": -0.1}, "confidence"),
        ({"tilt_class": "anterior", "confidence": math.nan}, "confidence"),
    ],
)
def test_bad_inputs_raise_errors_that_name_the_argument(catalogue, kwargs, message):
    tilt = kwargs.pop("tilt_class")
    with pytest.raises(ValueError, match=message):
        choose_routine(tilt, catalogue=catalogue, **kwargs)


@pytest.mark.parametrize(
    "tilt, kendall, confidence, expected",
    [
        (TiltClass.ANTERIOR, KendallType.LORDOTIC, 0.9, "anterior"),
        (TiltClass.POSTERIOR, KendallType.FLAT_BACK, 0.7, "posterior"),
        (TiltClass.POSTERIOR, None, 0.2, "neutral"),
        (None, None, 0.0, "neutral"),
    ],
)
def test_routine_for_an_assessment(catalogue, tilt, kendall, confidence, expected):
    assessment = Assessment(
        tilt_degrees=None if tilt is None else 10.0, tilt_class=tilt, confidence=confidence, kendall=kendall
    )
    routine = routine_for_assessment(assessment, catalogue=catalogue)
    assert routine.id == expected
    assert (routine.retake_advice is not None) == (confidence < 0.5)


def test_choose_routine_loads_the_default_catalogue_when_none_is_given():
    assert choose_routine("neutral", confidence=1.0).id == "neutral"


@pytest.mark.parametrize("routine_id", ["anterior", "posterior", "sway_back", "neutral"])
def test_routine_total_time_is_the_sum_of_its_items_and_fits_a_short_session(catalogue, routine_id):
    routine = catalogue.routines[routine_id]
    assert routine.total_seconds == sum(item.exercise.dose.seconds for item in routine.items)
    assert 10 <= routine.total_minutes <= 20
    assert all(item.why.endswith(".") for item in routine.items)


def test_choosing_a_routine_for_one_person_leaves_the_catalogue_as_it_was(catalogue):
    before = catalogue.routines["anterior"]
    chosen = choose_routine("anterior", confidence=0.9, kendall_type="lordotic", catalogue=catalogue)
    assert chosen.tilt_class == "anterior" and chosen.kendall_type == "lordotic"
    assert catalogue.routines["anterior"] is before and before.tilt_class is None
    again = choose_routine("anterior", confidence=0.2, catalogue=catalogue)
    assert again.id == "neutral" and again.retake_advice and chosen.retake_advice is None


# --- catalogue errors ----------------------------------------------------------------------


def write_catalogue(tmp_path, change):
    raw = json.loads(CATALOGUE_PATH.read_text())
    change(raw)
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(raw))
    return path


def test_an_exercise_without_steps_is_rejected_with_its_position(tmp_path):
    path = write_catalogue(tmp_path, lambda raw: raw["exercises"][2].pop("steps"))
    with pytest.raises(CatalogueError, match=r"exercises\[2\].*'steps' is a required property"):
        load_catalogue(path)


def test_a_zero_set_dose_is_rejected(tmp_path):
    path = write_catalogue(tmp_path, lambda raw: raw["exercises"][0]["dose"].update(sets=0))
    with pytest.raises(CatalogueError, match=r"exercises\[0\]\.dose\.sets"):
        load_catalogue(path)


def test_a_routine_naming_a_missing_exercise_is_rejected(tmp_path):
    path = write_catalogue(tmp_path, lambda raw: raw["routines"][0]["items"][0].update(exercise="toe_touch"))
    with pytest.raises(CatalogueError, match="toe_touch"):
        load_catalogue(path)


def test_a_missing_required_routine_is_rejected(tmp_path):
    path = write_catalogue(tmp_path, lambda raw: raw["routines"].pop())  # drops "neutral"
    with pytest.raises(CatalogueError, match="'neutral' is required"):
        load_catalogue(path)


def test_a_file_that_is_not_json_is_rejected(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{ not json")
    with pytest.raises(CatalogueError, match="broken.json"):
        load_catalogue(path)


def test_importing_the_module_loads_nothing():
    assert not any(isinstance(value, routines.Catalogue) for value in vars(routines).values())


# --- our own words -------------------------------------------------------------------------


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'").replace("'", ""))


def runs(text, n=8):
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


@pytest.fixture(scope="module")
def seed_runs():
    if not SEEDS.is_dir():
        pytest.skip(f"source articles not found at {SEEDS}")
    found = set()
    for path in SEEDS.iterdir():
        if path.is_file():
            found |= runs(path.read_text(encoding="utf-8", errors="ignore"))
    return found


def test_the_copy_detector_catches_a_copied_passage(seed_runs):
    first = next(p for p in sorted(SEEDS.iterdir()) if p.is_file())
    passage = " ".join(words(first.read_text(encoding="utf-8", errors="ignore"))[20:32])
    assert runs(f"Our intro. {passage.upper()}!") & seed_runs


@pytest.mark.parametrize("path", OUR_TEXT_FILES, ids=lambda p: p.name)
def test_no_eight_word_run_is_copied_from_the_sources(seed_runs, path):
    copied = runs(path.read_text(encoding="utf-8")) & seed_runs
    assert not copied, f"{path.name} repeats source wording: {[' '.join(r) for r in sorted(copied)][:5]}"
