"""The posture analyzer's web app: ``streamlit run app.py`` (``make app``).

Streamlit only: page set-up and navigation. The pages are in ``webapp/`` and all analysis is
in ``posture/`` (which never imports Streamlit). Settings (no usage statistics, upload
limit, XSRF protection) are in ``.streamlit/config.toml``.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging

import streamlit as st

from webapp import common, compare, photo


def live_page() -> st.Page | None:
    """The "Live mirror" page, once ``webapp/live.py`` exists and defines ``render()``.

    Hook for the webcam issue: add that module and it appears in the navigation.
    """
    if importlib.util.find_spec("webapp.live") is None:
        return None
    try:
        live = importlib.import_module("webapp.live")
    except ImportError as error:  # e.g. streamlit-webrtc missing: keep the photo pages working
        logging.getLogger(__name__).warning("Live mirror page left out: %s", error)
        return None
    render = getattr(live, "render", None)
    if render is None:
        return None
    return st.Page(render, title="Live mirror", icon=":material/videocam:", url_path="live")


def pages() -> list[st.Page]:
    found = [
        st.Page(photo.render, title="Photo analysis", icon=":material/photo_camera:",
                url_path="photo", default=True),
        st.Page(compare.render, title="Compare two photos", icon=":material/compare:",
                url_path="compare"),
    ]
    live = live_page()
    if live is not None:
        found.append(live)
    return found


st.set_page_config(page_title="Posture analyzer", page_icon=common.page_icon(), layout="wide")
common.keep_uploads_in_memory()
st.navigation(pages(), position="top").run()
