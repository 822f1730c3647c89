"""A trainer's records: clients and their sessions in one local SQLite file, or a clinic's
PostgreSQL database.

* ``Store`` (``store.py``): add, list, update and forget clients; save and read sessions.
* ``draft`` / ``analysis`` (``drafts.py``): an ``Analysis`` to a ``Draft`` to save, and a saved
  ``Session`` back to an ``Analysis`` for the comparison views and reports.
* ``history.py``: CSV and JSON exports, chart series and trends over a client's sessions.
* ``location.py``: the default database (``$POSTURE_DATABASE_URL``, else a file in
  ``$POSTURE_DATA_DIR``, else in a per-user folder).
* ``database.py``: the file or URL and its SQLAlchemy connections.
* ``schema.py`` and ``migrations/``: the schema version and the Alembic revisions.
* ``errors.py``: ``StoreError``, every fault of the database file as a sentence.

Nothing is stored unless a caller saves; photos only for clients who consented.
"""

from posture.records.drafts import analysis, draft
from posture.records.entries import Client, Draft, Session
from posture.records.errors import ForeignDatabase, NewerDatabase, StoreError
from posture.records.location import default_db
from posture.records.store import ClientExists, Store, UnknownClient

__all__ = [
    "Client",
    "ClientExists",
    "Draft",
    "ForeignDatabase",
    "NewerDatabase",
    "Session",
    "Store",
    "StoreError",
    "UnknownClient",
    "analysis",
    "default_db",
    "draft",
]
