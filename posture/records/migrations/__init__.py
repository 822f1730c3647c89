"""The records database's Alembic migrations (``versions/``): revision *n* (id ``"000n"``) turns a
database at version *n - 1* into version *n*, on SQLite and on PostgreSQL. Revisions 1 to 4 are
the four numbered SQLite steps of the first releases, unchanged for SQLite, with the same tables
in PostgreSQL's types beside them. Revisions are never edited once released: a change is a new
revision. ``posture.records.schema`` applies them; no ``env.py`` is needed.
"""

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
"""The Alembic script folder (its ``versions/`` holds the revisions)."""
