"""Rows of the records database to entries and back: the client name rule, ``Client`` and
``Session`` from rows (mappings of column to value), a ``Draft`` to the rows of a new session (see
``posture.records.schema`` for the columns)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlalchemy import text
from sqlalchemy.engine import Connection

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


def client_of(row: Mapping) -> Client:
    return Client(
        id=row["id"],
        name=row["name"],
        birth_year=row["birth_year"],
        notes=row["notes"],
        photo_consent=bool(row["photo_consent"]),
        created=row["created"],
    )


def session_of(conn: Connection, session_id: int) -> Session | None:
    one = {"id": session_id}
    row = conn.execute(text("SELECT * FROM sessions WHERE id = :id"), one).mappings().first()
    if row is None:
        return None
    measures = (
        conn.execute(text("SELECT * FROM measures WHERE session_id = :id ORDER BY rowid"), one)
        .mappings()
        .all()
    )
    kinds = set(conn.execute(text("SELECT kind FROM images WHERE session_id = :id"), one).scalars())
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


def insert_session(conn: Connection, client_id: int, draft: Draft) -> int:
    """Write a new session with its measures and images, inside the caller's transaction;
    returns its id. The photo is kept only when the client consents (read here, in the same
    transaction), whatever the draft carries."""
    columns = {
        "client_id": client_id,
        "taken": dates.iso(dates.parse(draft.taken)),
        "taken_utc": dates.utc(draft.taken),
        "saved": dates.iso(dates.now_local()),
        "source": draft.source,
        "photo_name": draft.photo_name,
        "tilt_class": draft.tilt_class,
        "tilt_degrees": draft.tilt_degrees,
        "confidence": draft.confidence,
        "kendall": draft.kendall,
        "facing": draft.facing,
        "image_width": draft.image_size[0],
        "image_height": draft.image_size[1],
        "landmarks": draft.landmarks,
        "routine_id": draft.routine_id,
        "routine_title": draft.routine_title,
        "exercises": json.dumps(list(draft.exercises)),
        "notes": draft.notes,
        "model": draft.model,
        "version": draft.version,
        "tilt_method": draft.tilt_method,
        "tilt_estimate": draft.tilt_estimate,
        "tilt_markers": draft.tilt_markers,
    }
    insert = f"INSERT INTO sessions ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)}) RETURNING id"
    session_id = int(conn.execute(text(insert), columns).scalar_one())
    measures = [
        {
            "id": session_id,
            "name": name,
            "value": value,
            "unit": draft.units.get(name, ""),
            "reason": draft.reasons.get(name),
            "corrected": int(name in draft.corrected),
            "original": draft.originals.get(name),
        }
        for name, value in draft.measures.items()
    ]
    if measures:
        conn.execute(
            text(
                "INSERT INTO measures (session_id, name, value, unit, reason, corrected, original) "
                "VALUES (:id, :name, :value, :unit, :reason, :corrected, :original)"
            ),
            measures,
        )
    consent = conn.execute(
        text("SELECT photo_consent FROM clients WHERE id = :id"), {"id": client_id}
    ).scalar_one()
    images = [("silhouette", "image/png", draft.silhouette)]
    if consent:
        images.append(("photo", "image/jpeg", draft.photo))
    stored = [{"id": session_id, "kind": k, "mime": m, "data": data} for k, m, data in images if data]
    if stored:
        conn.execute(
            text("INSERT INTO images (session_id, kind, mime, data) VALUES (:id, :kind, :mime, :data)"),
            stored,
        )
    return session_id
