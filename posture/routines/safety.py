"""The safety screen shown before any exercise, and the coaching disclaimer.

A red flag is a sign that back or hip pain may come from something other than muscles and
joints (a fracture, an infection, a tumour, pressure on the nerves at the base of the spine).
Red flags are not a diagnosis: they only say that a doctor should look first. Any "yes"
stops the routine. Three of them (bladder or bowel control, saddle numbness, legs getting
weaker) can mean the nerves at the base of the spine are squeezed, which needs care the
same day, so they are marked ``urgent``.

Everything here is plain data and pure functions; nothing runs at import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DISCLAIMER = (
    "This is exercise coaching, not a diagnosis or a treatment. "
    "The photo only gives an estimate of how your pelvis sits, and it can be wrong. "
    "Stop any exercise that causes sharp pain, numbness or tingling. "
    "If you are in pain, pregnant, or recovering from an injury or surgery, "
    "ask a doctor or physiotherapist before you start."
)


@dataclass(frozen=True)
class RedFlag:
    """One safety question.

    Attributes
    ----------
    id : stable key used in answers, JSON and the command line (``saddle_numbness=yes``).
    question : the question as the person reads it; "yes" means the flag is present.
    short : a few words naming the flag, for lists and messages.
    urgent : True when a "yes" means getting medical help the same day.
    """

    id: str
    question: str
    short: str
    urgent: bool = False


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "major_trauma",
        "In the last few weeks, did you have a serious accident or a hard fall, "
        "such as a car or bike crash or a fall from a height?",
        "a serious accident or fall",
        urgent=True,
    ),
    RedFlag(
        "weight_loss",
        "Have you lost weight in the last few months without trying?",
        "weight loss you cannot explain",
    ),
    RedFlag(
        "cancer_history",
        "Have you ever had cancer?",
        "cancer in the past",
    ),
    RedFlag(
        "fever",
        "Do you have a fever or chills, or do you feel generally ill, at the moment?",
        "fever or feeling ill",
    ),
    RedFlag(
        "bladder_bowel",
        "Have you recently lost control of your bladder or bowels, or found it hard to start passing urine?",
        "trouble controlling your bladder or bowels",
        urgent=True,
    ),
    RedFlag(
        "saddle_numbness",
        "Is the skin numb or dull between your legs, around your bottom or on your "
        "inner thighs (the parts that would touch a bike saddle)?",
        "numbness in the saddle area",
        urgent=True,
    ),
    RedFlag(
        "leg_weakness",
        "Is one or both of your legs getting weaker, for example you trip over your feet "
        "or cannot rise onto your toes?",
        "legs getting weaker",
        urgent=True,
    ),
    RedFlag(
        "severe_pain",
        "If you have back pain, is it severe and there all the time, or does it wake you at "
        "night and not ease when you change position?",
        "severe constant pain or pain at night",
    ),
)

_BY_ID: dict[str, RedFlag] = {flag.id: flag for flag in RED_FLAGS}


@dataclass(frozen=True)
class ScreenResult:
    """The outcome of the safety screen.

    Attributes
    ----------
    blocked : True when at least one answer was "yes": do not show or start the routine.
    message : what to tell the person, in plain words.
    flags : the red flags answered "yes", in the order of ``RED_FLAGS``.
    unanswered : ids of the questions that got no answer.
    """

    blocked: bool
    message: str
    flags: tuple[RedFlag, ...] = ()
    unanswered: tuple[str, ...] = ()

    @property
    def urgent(self) -> bool:
        """True when a "yes" means getting medical help the same day."""
        return any(flag.urgent for flag in self.flags)

    @property
    def complete(self) -> bool:
        """True when every question got an answer."""
        return not self.unanswered


def screen(answers: Mapping[str, bool]) -> ScreenResult:
    """Check the answers to ``RED_FLAGS`` and decide whether the routine may be shown.

    Parameters
    ----------
    answers : mapping from a red-flag id to True ("yes") or False ("no").
        Missing ids count as unanswered; they do not block, but the message says to
        read those questions before starting.

    Raises
    ------
    ValueError : an id that is not in ``RED_FLAGS`` (a typo must not pass silently).
    TypeError : an answer that is not a bool.
    """
    unknown = sorted(set(answers) - set(_BY_ID))
    if unknown:
        raise ValueError(
            f"unknown safety question id(s): {', '.join(unknown)}; known ids: {', '.join(_BY_ID)}"
        )
    for key, value in answers.items():
        if not isinstance(value, bool):
            raise TypeError(f"answer to {key!r} must be True or False, got {value!r}")
    flags = tuple(flag for flag in RED_FLAGS if answers.get(flag.id) is True)
    unanswered = tuple(flag.id for flag in RED_FLAGS if flag.id not in answers)
    return ScreenResult(
        blocked=bool(flags),
        message=_message(flags, unanswered),
        flags=flags,
        unanswered=unanswered,
    )


def _message(flags: tuple[RedFlag, ...], unanswered: tuple[str, ...]) -> str:
    if any(flag.urgent for flag in flags):
        named = "; ".join(flag.short for flag in flags)
        return (
            f"Stop: do not start these exercises. You answered yes to: {named}. "
            "This can mean the nerves or bones of your spine need a check today. "
            "Seek medical care now: go to an emergency department or call your local "
            "emergency number."
        )
    if flags:
        named = "; ".join(flag.short for flag in flags)
        return (
            f"Do not start these exercises yet. You answered yes to: {named}. "
            "Seek medical care first: see a doctor soon and show them this sheet. "
            "A yes is not a diagnosis, and most back pain is harmless, "
            "but a doctor should check before you exercise."
        )
    if unanswered:
        return (
            f"{len(unanswered)} of the {len(RED_FLAGS)} safety questions have no answer. "
            "Read them before you start. If any answer is yes, do not start: "
            "seek medical care first."
        )
    return (
        "You answered no to every safety question, so you can start. "
        "Stop if you feel sharp pain, numbness or tingling."
    )
