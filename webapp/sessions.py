"""A visitor's images go when their session goes, not later (issue 19).

Streamlit keeps a session whose browser left for ``server.disconnectedSessionTTL`` seconds (120
by default) so that it can reconnect, then forgets it: the expired entry simply falls out of
its session store without the session being shut down, so the images that session showed
(the annotated photo, downloads) stay in ``MediaFileManager`` and are served at their URL to
whoever has it, for as long as the server runs. ``track()`` notes each session this process
runs; a thread checks them every ``REAP_SECONDS`` and, for every one Streamlit no longer knows,
does what Streamlit's own shut-down does: ``MediaFileManager.clear_session_refs(session_id)``
and ``remove_orphaned_files()`` (a download is deleted on the second pass, as in Streamlit).
"""

from __future__ import annotations

import threading
import time

REAP_SECONDS = 2.0
"""How often sessions are checked: images outlive their session by at most about this."""

_known: set[str] = set()
_lock = threading.Lock()
_reaper: threading.Thread | None = None


def track() -> None:
    """Note the session running this script and start the reaper once per process."""
    global _reaper
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    if context is None:
        return
    with _lock:
        _known.add(context.session_id)
        if _reaper is None:
            _reaper = threading.Thread(target=_reap_forever, name="posture-session-reaper", daemon=True)
            _reaper.start()


def reap_once() -> list[str]:
    """Drop the media of every tracked session Streamlit no longer has; return their ids."""
    from streamlit import runtime

    if not runtime.exists():
        return []
    instance = runtime.get_instance()
    sessions = instance._session_mgr  # no public lookup that includes stored sessions
    with _lock:
        gone = [session_id for session_id in _known if sessions.get_session_info(session_id) is None]
        _known.difference_update(gone)
    for session_id in gone:
        instance.media_file_mgr.clear_session_refs(session_id)
    instance.media_file_mgr.remove_orphaned_files()  # downloads: marked now, deleted next pass
    return gone


def _reap_forever() -> None:
    while True:
        time.sleep(REAP_SECONDS)
        try:
            reap_once()
        except Exception:  # noqa: BLE001 - the reaper must outlive a bad pass
            pass
