"""Rows of the records database to entries and back: the client name rule, ``Client`` and
``Session`` from ``sqlite3.Row`` (see ``posture.records.schema`` for the columns)."""

from __future__ import annotations

import json
import sqlite3

from posture.records.entries import Client, Session

MAX_NAME = 120
"""Longest client name or pseudonym, characters."""


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValueError("a client needs a name or a pseudonym")
    if len(name) > MAX_NAME:
        raise ValueError(f"a client name can have at most {MAX_NAME} characters")
    return name


def client_of(row: sqlite3.Row) -> Client:
    return Client(
        id=row["id"],
        name=row["name"],
        birth_year=row["birth_year"],
        notes=row["notes"],
        photo_consent=bool(row["photo_consent"]),
        created=row["created"],
    )


def session_of(conn: sqlite3.Connection, session_id: int) -> Session | None:
    row = conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
    if row is None:
        return None
    measures = conn.execute(
        "SELECT * FROM measures WHERE session_id = ? ORDER BY rowid", (session_id,)
    ).fetchall()
    kinds = {r["kind"] for r in conn.execute("SELECT kind FROM images WHERE session_id = ?", (session_id,))}
    return Session(
        id=row["id"],
        client_id=row["client_id"],
        taken=row["taken"],
        taken_utc=row["taken_utc"],
        saved=row["saved"],
        model=row["model"],
        version=row["version"],
        image_size=(row["image_width"], row["image_height"]),
        measures={m["name"]: m["value"] for m in measures},
        units={m["name"]: m["unit"] for m in measures},
        reasons={m["name"]: m["reason"] for m in measures if m["reason"]},
        corrected=frozenset(m["name"] for m in measures if m["corrected"]),
        originals={m["name"]: m["original"] for m in measures if m["corrected"]},
        tilt_class=row["tilt_class"],
        tilt_degrees=row["tilt_degrees"],
        confidence=row["confidence"],
        kendall=row["kendall"],
        facing=row["facing"],
        landmarks=row["landmarks"],
        routine_id=row["routine_id"],
        routine_title=row["routine_title"],
        exercises=tuple(json.loads(row["exercises"])),
        notes=row["notes"],
        source=row["source"],
        photo_name=row["photo_name"],
        has_photo="photo" in kinds,
        has_silhouette="silhouette" in kinds,
    )
