"""The red-flag screen: any yes stops the routine and sends the person to medical care."""

import pytest

from posture.routines.safety import DISCLAIMER, RED_FLAGS, RedFlag, screen

ALL_NO = {flag.id: False for flag in RED_FLAGS}


def test_the_eight_red_flags_from_the_sources_are_asked():
    assert {flag.id for flag in RED_FLAGS} == {
        "major_trauma",
        "weight_loss",
        "cancer_history",
        "fever",
        "bladder_bowel",
        "saddle_numbness",
        "leg_weakness",
        "severe_pain",
    }


@pytest.mark.parametrize("flag", RED_FLAGS, ids=lambda f: f.id)
def test_each_question_is_a_plain_question_to_the_person(flag):
    assert flag.question.endswith("?")
    assert " you" in f" {flag.question.lower()}"
    assert len(flag.question.split()) <= 30


def test_all_no_lets_the_person_start():
    result = screen(ALL_NO)
    assert not result.blocked
    assert result.complete
    assert result.flags == ()
    assert "you can start" in result.message


@pytest.mark.parametrize("flag", RED_FLAGS, ids=lambda f: f.id)
def test_any_single_yes_blocks_and_says_to_seek_medical_care(flag):
    result = screen({**ALL_NO, flag.id: True})
    assert result.blocked
    assert result.flags == (flag,)
    assert "seek medical care" in result.message.lower()
    assert flag.short in result.message


def test_saddle_numbness_is_an_emergency():
    result = screen({**ALL_NO, "saddle_numbness": True})
    assert result.blocked and result.urgent
    assert "emergency" in result.message
    assert "numbness in the saddle area" in result.message


@pytest.mark.parametrize("flag_id", ["bladder_bowel", "leg_weakness", "saddle_numbness"])
def test_nerve_signs_are_urgent(flag_id):
    assert screen({flag_id: True}).urgent


def test_weight_loss_alone_means_see_a_doctor_not_the_emergency_room():
    result = screen({**ALL_NO, "weight_loss": True})
    assert result.blocked and not result.urgent
    assert "see a doctor" in result.message
    assert "emergency" not in result.message


def test_several_yes_answers_are_all_named_in_question_order():
    result = screen({**ALL_NO, "severe_pain": True, "fever": True})
    assert [f.id for f in result.flags] == ["fever", "severe_pain"]
    assert result.message.index("fever") < result.message.index("severe constant pain")


def test_missing_answers_do_not_block_but_are_reported():
    result = screen({"fever": False})
    assert not result.blocked
    assert not result.complete
    assert len(result.unanswered) == 7 and "fever" not in result.unanswered
    assert result.message.startswith("7 of the 8 safety questions have no answer")


def test_a_yes_blocks_even_when_other_questions_are_unanswered():
    assert screen({"cancer_history": True}).blocked


def test_a_misspelt_question_id_is_an_error_not_a_silent_pass():
    with pytest.raises(ValueError, match="saddle_numbnes"):
        screen({"saddle_numbnes": True})


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_answers_must_be_true_or_false(value):
    with pytest.raises(TypeError, match="fever"):
        screen({"fever": value})


def test_disclaimer_says_coaching_not_diagnosis():
    assert "coaching" in DISCLAIMER
    assert "not a diagnosis" in DISCLAIMER


def test_screening_one_person_leaves_the_questions_for_the_next():
    questions = [flag.question for flag in RED_FLAGS]
    blocked = screen({flag.id: True for flag in RED_FLAGS})
    assert blocked.blocked
    assert [flag.question for flag in RED_FLAGS] == questions
    assert all(isinstance(flag, RedFlag) for flag in RED_FLAGS)
