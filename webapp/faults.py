"""The records file's faults on the pages: the ``StoreError``'s sentence in ``st.error``, never a
traceback.

    with faults.shown():           # a part of a page that reads or writes the records
        ...
    st.button("Save", on_click=faults.guarded(save))   # a callback's fault, shown on the next run
    faults.show_kept()             # at the top of the page that has such callbacks
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st

from posture.records import StoreError
from posture.records.errors import CHOOSE_IN_APP

KEPT = "records_fault"
"""Session-state key of a callback's fault, shown on the run that follows it."""


def sentence(error: StoreError) -> str:
    """The fault's one sentence, offering the app's way to choose another file."""
    return error.sentence(CHOOSE_IN_APP)


def show(error: StoreError) -> None:
    st.error(sentence(error), icon=":material/error:")


@contextmanager
def shown() -> Iterator[None]:
    """Run a part of a page: a ``StoreError`` in it is shown and ends that part only."""
    try:
        yield
    except StoreError as error:
        show(error)


def guarded(callback: Callable[..., None]) -> Callable[..., None]:
    """A widget callback whose ``StoreError`` is kept for ``show_kept`` (Streamlit would show a
    callback's exception as a traceback)."""

    @functools.wraps(callback)
    def run(*args, **kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except StoreError as error:
            st.session_state[KEPT] = sentence(error)

    return run


def show_kept() -> None:
    """The fault a callback kept on this run, once."""
    sentence = st.session_state.pop(KEPT, None)
    if sentence:
        st.error(sentence, icon=":material/error:")


__all__ = ["guarded", "sentence", "show", "show_kept", "shown"]
