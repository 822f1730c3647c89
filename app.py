"""The posture analyzer's web app: ``streamlit run app.py`` (``make app``).

Streamlit only: page set-up and navigation. The pages are in ``webapp/pages/`` and all
analysis is in ``posture/`` (which never imports Streamlit). Settings (this machine only, no
usage statistics, upload limit, XSRF protection) are in ``.streamlit/config.toml``; serving
other machines needs ``POSTURE_APP_PASSWORD``. ``streamlit run app.py`` finds ``app`` (an
``st.App``) and serves it: ``webapp.gate.PasswordGate`` then stands in front of every route
(pages, media, metrics, components, the websocket), and the script itself runs per session.
"""

from __future__ import annotations

import streamlit as st

from webapp import common, sessions
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


def main() -> None:
    st.set_page_config(page_title="Posture analyzer", page_icon=common.page_icon(), layout="wide")
    sessions.track()  # the session's images go with it (webapp/sessions.py)
    common.require_password_when_served()  # a password set, or served beyond 127.0.0.1: sign in first
    common.error_figures()  # read once at start-up: a missing or bad file stops the app here
    common.keep_uploads_in_memory()
    st.navigation(pages(), position="top").run()


if __name__ == "__main__":  # each run of the script, in a session
    main()
else:  # `streamlit run app.py` imports this file as `app` first and serves the st.App below
    from starlette.middleware import Middleware

    from webapp.gate import PasswordGate

    app = st.App(__file__, middleware=[Middleware(PasswordGate)])
