"""Several processes saving at once to one database (an SQLite file, a PostgreSQL database): no
session lost, none failed, on a new database, a current one and one of version 1."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import text

from posture.records import Store, schema
from posture.records.database import Database
from tests.records.test_schema import version_1_database

PROCESSES = 6
SESSIONS = 3


def save_three(path: str, barrier) -> None:
    """One process: wait for the others, then save three sessions for "Same" as the CLI does."""
    from posture.cli import records as command
    from tests.records.test_store import at, measured

    analysis = measured({"pelvic_tilt": 10.0})
    barrier.wait(timeout=60)
    for day in range(1, SESSIONS + 1):
        command.save(Store(path), "Same", Path("photo.jpg"), analysis, taken=at(day), photo=None)


def version_1(target: str) -> None:
    """A version-1 database with one client and one session (PostgreSQL: revision 1 only)."""
    if "://" not in target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        version_1_database(target)
        return
    db = Database(target)
    with db.connect() as conn:
        schema.migrate(conn, db.transaction, target=1)
        with db.transaction(conn):
            conn.execute(
                text("INSERT INTO clients (name, created) VALUES ('Old Client', '2025-01-05T10:00')")
            )
            conn.execute(
                text(
                    "INSERT INTO sessions (client_id, taken, taken_utc, saved, image_width, image_height, "
                    "model, version) SELECT id, 'a', 'a', 'a', 600, 800, 'm', '0.1.0' FROM clients"
                )
            )


def run_at_once(path: str) -> list[int]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    workers = [context.Process(target=save_three, args=(str(path), barrier)) for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return [worker.exitcode for worker in workers]


@pytest.mark.parametrize("existing", [None, "current", "version 1"])
def test_six_processes_saving_at_once_lose_nothing(database, existing, capfd):
    path = database
    before = 0
    if existing == "current":
        Store(path).add_client("Someone else")
    elif existing == "version 1":
        version_1(path)
        before = 1
    assert run_at_once(path) == [0] * PROCESSES
    told = capfd.readouterr().err  # the processes' stderr (file descriptor 2 is inherited)
    assert "Traceback" not in told and "Error" not in told, told
    assert told.count("posture: new client 'Same'") == 1, told  # one process made the client
    store = Store(path)
    same = [c for c in store.clients() if c.name == "Same"]
    assert len(same) == 1
    assert len(store.sessions(same[0].id)) == PROCESSES * SESSIONS
    assert len(store.clients()) == 1 + (existing is not None)
    assert sum(len(store.sessions(c.id)) for c in store.clients()) == PROCESSES * SESSIONS + before
