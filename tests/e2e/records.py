"""A records file with clients and sessions made from the project's own sample photos, for the
Clients page's browser tests and the README screenshots (``docs/screenshots.py``).

Ana Lind has four sessions: 1 Sep 2026 and three on 1 Oct 2026 (10:00, 10:05, 10:10), each
from a synthetic side view in ``samples/``, photos stored (she agreed). Bo Berg has one.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ZONE = timezone(timedelta(hours=1))
SESSIONS = {
    "Ana Lind": [
        ("synthetic_neutral.jpg", datetime(2026, 9, 1, 10, 0, tzinfo=ZONE)),
        ("synthetic_anterior_tilt.jpg", datetime(2026, 10, 1, 10, 0, tzinfo=ZONE)),
        ("synthetic_posterior_tilt.jpg", datetime(2026, 10, 1, 10, 5, tzinfo=ZONE)),
        ("synthetic_neutral.jpg", datetime(2026, 10, 1, 10, 10, tzinfo=ZONE)),
    ],
    "Bo Berg": [("synthetic_anterior_tilt.jpg", datetime(2026, 9, 15, 9, 30, tzinfo=ZONE))],
}
"""Client: (photo in samples/, when) per session, oldest first."""


def fill(database: Path, estimator) -> None:
    """Write ``SESSIONS`` into a new records file at ``database`` (analysed with ``estimator``)."""
    from posture.analyze import analyze
    from posture.assess.errors import shipped
    from posture.records import Store, draft

    store = Store(database)
    figures = shipped()
    for name, sessions in SESSIONS.items():
        client = store.add_client(name, photo_consent=True)
        for photo, when in sessions:
            data = (REPO / "samples" / photo).read_bytes()
            analysis = analyze(data, estimator, figures=figures)
            store.add_session(client.id, draft(analysis, taken=when, photo_name=photo, photo=data))
