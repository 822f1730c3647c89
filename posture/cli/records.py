"""The records part of the ``posture`` command (``posture.cli.records``): save analyses to a
client, list, export, forget.

    posture analyze IMG... --client NAME --save [--db PATH]
    posture history NAME [--json | --csv] [--db PATH]
    posture clients [--json] [--db PATH]
    posture forget NAME [--yes] [--db PATH]
    posture agreement [--svg PATH] [--json] [--db PATH]

``--db PATH`` picks the database: a file, or a ``postgresql+psycopg://`` URL (default
``posture.records.location.default_db()``: ``$POSTURE_DATABASE_URL``, else
``$POSTURE_DATA_DIR/records.sqlite3``, else the per-user data folder). Exit codes: 0 done,
1 no such client or the deletion was not confirmed, 2 usage error, 4 the database cannot be
read or written (``StoreError``: one sentence on stderr, no traceback). ``agreement`` prints
how the markerless estimate agrees with the skin markers over every saved marker session of
every client (``posture.records.agreement``), exit 0 also when there are too few sessions (it
says so), 2 when the ``--svg`` file cannot be written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from posture.records import agreement, dates, history
from posture.records.agreement_plot import bland_altman_svg
from posture.records.database import Database
from posture.records.drafts import draft
from posture.records.entries import Session
from posture.records.errors import StoreError
from posture.records.location import default_db
from posture.records.store import Store, UnknownClient

EXIT_NOT_FOUND = 1
EXIT_USAGE = 2
EXIT_STORE = 4
"""The records database cannot be read or written (damaged, read-only, full, newer)."""

HEADLINE = (
    ("pelvic_tilt", "tilt", "{:+.0f}°"),
    ("lumbar_lordosis", "lumbar", "{:.0f}°"),
    ("trunk_inclination", "trunk lean", "{:+.0f}°"),
)
"""The measures a history line shows: name, short label, format."""


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help=f"records database: a file, or a postgresql+psycopg:// URL (default: {Database(default_db()).where})",
    )


def add_save_options(analyze: argparse.ArgumentParser) -> None:
    """``--client`` and ``--save`` for ``posture analyze``, with ``--db``."""
    analyze.add_argument(
        "--client", metavar="NAME", help="the client the photos are of (made on the first save)"
    )
    analyze.add_argument(
        "--save", action="store_true", help="store each measured photo as a session of --client"
    )
    add_db_option(analyze)


def add_commands(commands: argparse._SubParsersAction) -> None:
    """The ``history``, ``clients`` and ``forget`` sub-commands."""
    show = commands.add_parser("history", help="a client's sessions, oldest first")
    show.add_argument("name", metavar="NAME")
    form = show.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="one JSON document")
    form.add_argument(
        "--csv",
        action="store_true",
        help="CSV, one row per session (date, class, confidence, measures, corrected flags)",
    )
    add_db_option(show)
    listing = commands.add_parser("clients", help="list the clients in the records")
    listing.add_argument("--json", action="store_true", help="one JSON document")
    add_db_option(listing)
    forget = commands.add_parser("forget", help="delete a client and all their sessions")
    forget.add_argument("name", metavar="NAME")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_db_option(forget)
    agree = commands.add_parser(
        "agreement",
        help="how the markerless tilt estimate agrees with the skin markers over saved sessions",
    )
    agree.add_argument(
        "--svg", type=Path, metavar="PATH", help="also write the Bland-Altman plot (SVG) to PATH"
    )
    agree.add_argument("--json", action="store_true", help="one JSON document")
    add_db_option(agree)


def store_of(args: argparse.Namespace) -> Store:
    return Store(args.db if getattr(args, "db", None) else default_db())


def check_save_options(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    if args.save and not args.client:
        parser.error("--save needs --client NAME")
    if args.client and not args.save:
        parser.error("--client names whom to save the photos to: add --save")


def save(
    store: Store,
    client_name: str,
    path: Path,
    analysis,
    *,
    routine=None,
    taken: datetime | None,
    photo: bytes | None,
) -> Session:
    """Save one measured photo as a session of ``client_name`` (made when new)."""
    client, made = store.client_named(client_name)
    if made:
        print(f"posture: new client {client.name!r} in {store.where}", file=sys.stderr)
    return store.add_session(
        client.id,
        draft(analysis, taken=taken, routine=routine, source="command", photo_name=path.name, photo=photo),
    )


def run(args: argparse.Namespace, *, out: TextIO | None = None, ask: Callable[[str], str] = input) -> int:
    """Run ``history``, ``clients``, ``forget`` or ``agreement``, writing to ``out`` (default stdout)."""
    try:
        return _run(args, sys.stdout if out is None else out, ask)
    except StoreError as error:
        return store_failed(error)


def store_failed(error: StoreError) -> int:
    """Tell a ``StoreError`` on stderr; returns ``EXIT_STORE``."""
    print(f"posture: {error}", file=sys.stderr)
    return EXIT_STORE


def _run(args: argparse.Namespace, out: TextIO, ask: Callable[[str], str]) -> int:
    store = store_of(args)
    if args.command == "clients":
        return _clients(store, args, out)
    if args.command == "agreement":
        return _agreement(store, args, out)
    try:
        client = store.client(args.name)
    except UnknownClient:
        print(f"posture: no client named {args.name!r} in {store.where}", file=sys.stderr)
        return EXIT_NOT_FOUND
    if args.command == "history":
        sessions = store.sessions(client.id)
        if args.csv:
            out.write(history.history_csv(sessions))
        elif args.json:
            out.write(history.history_json(sessions, client=client.name) + "\n")
        else:
            out.write(f"{client.name}: {len(sessions)} session(s), oldest first\n")
            out.writelines(history_line(s) + "\n" for s in sessions)
        return 0
    count = len(store.sessions(client.id))
    if not args.yes:
        try:
            answer = ask(
                f"Delete {client.name!r} and their {count} session(s) from "
                f"{store.where}? This cannot be undone. [y/N] "
            )
        except EOFError:
            answer = ""
        if answer.strip().lower() not in {"y", "yes"}:
            print("posture: nothing deleted", file=sys.stderr)
            return EXIT_NOT_FOUND
    store.forget(client.id)
    out.write(f"Deleted {client.name!r} and {count} session(s).\n")
    return 0


def history_line(session: Session) -> str:
    """ "12 Nov 2026, 09:30  anterior (72%)  tilt +21°  lumbar 48°  trunk lean +2°*"
    (* = corrected by hand)."""
    verdict = f"{session.tilt_class} ({session.confidence:.0%})" if session.tilt_class else "no tilt class"
    parts = [dates.local_text(session.taken), verdict]
    for name, label, form in HEADLINE:
        value = session.measures.get(name)
        mark = "*" if name in session.corrected else ""
        parts.append(f"{label} " + ("not measured" if value is None else form.format(value)) + mark)
    line = "  ".join(parts)
    if session.corrected:
        line += "  (* corrected by hand)"
    return line


def all_sessions(store: Store) -> list[Session]:
    """Every client's sessions (clients by name, each client's oldest first)."""
    return [s for client in store.clients() for s in store.sessions(client.id)]


def _agreement(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    found = agreement.agreement(all_sessions(store))
    if args.svg:
        try:
            args.svg.write_text(bland_altman_svg(found), encoding="utf-8")
        except OSError as error:
            print(f"posture: --svg: cannot write {args.svg} ({error.strerror})", file=sys.stderr)
            return EXIT_USAGE
    if args.json:
        out.write(json.dumps(agreement.agreement_dict(found), indent=2) + "\n")
        return 0
    out.writelines(line + "\n" for line in agreement.agreement_lines(found))
    if args.svg:
        out.write(f"Bland-Altman plot written to {args.svg}\n")
    return 0


def _clients(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    clients = store.clients()
    rows = []
    for client in clients:
        sessions = store.sessions(client.id)
        rows.append(
            {
                "name": client.name,
                "birth_year": client.birth_year,
                "sessions": len(sessions),
                "photo_consent": client.photo_consent,
                "first": sessions[0].taken if sessions else None,
                "last": sessions[-1].taken if sessions else None,
            }
        )
    if args.json:
        out.write(json.dumps({"database": store.where, "clients": rows}, indent=2, ensure_ascii=False) + "\n")
        return 0
    if not rows:
        out.write(f"No clients in {store.where}.\n")
        return 0
    for row in rows:
        span = f", {dates.local_day(row['first'])} to {dates.local_day(row['last'])}" if row["first"] else ""
        out.write(
            f"{row['name']}: {row['sessions']} session(s){span}"
            + ("" if row["photo_consent"] else ", no photos stored")
            + "\n"
        )
    return 0


def save_photo(store: Store, client_name: str, path: Path, analysis) -> dict | None:
    """``posture analyze --save``: store a measured photo with the routine it gets, dated from
    its EXIF date (else now); the JPEG of the analysed image only for a consenting client.
    Returns ``{"client", "date", "photo_stored"}``, or None for a photo that was not measured."""
    from posture.image.encode import jpeg_bytes
    from posture.image.exif import exif_date_texts
    from posture.routines import routine_for_assessment

    if not analysis.ok:
        return None
    taken = dates.exif_datetime(*exif_date_texts(path))
    routine = routine_for_assessment(analysis.assessment) if analysis.assessment else None
    consent = _consents(store, client_name)
    photo = jpeg_bytes(analysis.image) if consent and analysis.image is not None else None
    session = save(store, client_name, path, analysis, routine=routine, taken=taken, photo=photo)
    return {
        "client": store.client(session.client_id).name,
        "date": session.taken,
        "photo_stored": session.has_photo,
    }


def saved_text(saved: dict | None) -> str:
    """The end of ``analyze``'s line: " — saved to Ana P. (12 Nov 2026, 09:30)"."""
    if saved is None:
        return " — not saved (not measured)"
    return f" — saved to {saved['client']} ({dates.local_text(saved['date'])})"


def _consents(store: Store, client_name: str) -> bool:
    try:
        return store.client(client_name).photo_consent
    except UnknownClient:
        return False
