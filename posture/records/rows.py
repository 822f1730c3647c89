"""Rows of the records database to entries and back: the client name rule, ``Client`` and
``Session`` from ``sqlite3.Row``, a ``Draft`` to the rows of a new session (see
``posture.records.schema`` for the columns)."""

from __future__ import annotations

import json
import sqlite3

from posture.records import dates
from posture.records.entries import Client, Draft, Session

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
        tilt_method=row["tilt_method"],
        tilt_estimate=row["tilt_estimate"],
        tilt_markers=row["tilt_markers"],
    )


def insert_session(conn: sqlite3.Connection, client_id: int, draft: Draft) -> int:
    """Write a new session with its measures and images, inside the caller's transaction;
    returns its id. The photo is kept only when the client consents (read here, in the same
    transaction), whatever the draft carries."""
    cursor = conn.execute(
        "INSERT INTO sessions (client_id, taken, taken_utc, saved, source, photo_name, "
        "tilt_class, tilt_degrees, confidence, kendall, facing, image_width, "
        "image_height, landmarks, routine_id, routine_title, exercises, notes, model, "
        "version, tilt_method, tilt_estimate, tilt_markers) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            client_id,
            dates.iso(dates.parse(draft.taken)),
            dates.utc(draft.taken),
            dates.iso(dates.now_local()),
            draft.source,
            draft.photo_name,
            draft.tilt_class,
            draft.tilt_degrees,
            draft.confidence,
            draft.kendall,
            draft.facing,
            draft.image_size[0],
            draft.image_size[1],
            draft.landmarks,
            draft.routine_id,
            draft.routine_title,
            json.dumps(list(draft.exercises)),
            draft.notes,
            draft.model,
            draft.version,
            draft.tilt_method,
            draft.tilt_estimate,
            draft.tilt_markers,
        ),
    )
    session_id = int(cursor.lastrowid)
    conn.executemany(
        "INSERT INTO measures (session_id, name, value, unit, reason, corrected, original) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                session_id,
                name,
                value,
                draft.units.get(name, ""),
                draft.reasons.get(name),
                int(name in draft.corrected),
                draft.originals.get(name),
            )
            for name, value in draft.measures.items()
        ],
    )
    consent = conn.execute("SELECT photo_consent FROM clients WHERE id = ?", (client_id,)).fetchone()[0]
    images = [("silhouette", "image/png", draft.silhouette)]
    if consent:
        images.append(("photo", "image/jpeg", draft.photo))
    conn.executemany(
        "INSERT INTO images (session_id, kind, mime, data) VALUES (?, ?, ?, ?)",
        [(session_id, kind, mime, data) for kind, mime, data in images if data],
    )
    return session_id
