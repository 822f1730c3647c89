"""The posture analyzer's web app: ``streamlit run app.py`` (``make app``).

Streamlit only: page set-up and navigation. The pages are in ``webapp/pages/`` and all
analysis is in ``posture/`` (which never imports Streamlit). Settings (this machine only, no
usage statistics, upload limit, XSRF protection) are in ``.streamlit/config.toml``; serving
other machines needs ``POSTURE_APP_PASSWORD`` (``webapp.common.require_password_when_served``).
"""

from __future__ import annotations

import streamlit as st

from webapp import common
from webapp.pages import clients, compare, live, photo


def pages() -> list[st.Page]:
    return [
        st.Page(
            photo.render,
            title="Photo analysis",
            icon=":material/photo_camera:",
            url_path="photo",
            default=True,
        ),
        st.Page(compare.render, title="Compare two photos", icon=":material/compare:", url_path="compare"),
        st.Page(live.render, title="Live mirror", icon=":material/videocam:", url_path="live"),
        st.Page(clients.render, title="Clients", icon=":material/groups:", url_path="clients"),
    ]


st.set_page_config(page_title="Posture analyzer", page_icon=common.page_icon(), layout="wide")
common.require_password_when_served()  # served beyond 127.0.0.1: a password first
common.error_figures()  # read once at start-up: a missing or bad file stops the app here
common.keep_uploads_in_memory()
st.navigation(pages(), position="top").run()
