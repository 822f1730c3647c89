"""Several processes saving at once to one database file: no session lost, none failed."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from posture.records import Store
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


def run_at_once(path: Path) -> list[int]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    workers = [context.Process(target=save_three, args=(str(path), barrier)) for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return [worker.exitcode for worker in workers]


@pytest.mark.parametrize("existing", [None, "current", "version 1"])
def test_six_processes_saving_at_once_lose_nothing(tmp_path, existing, capfd):
    path = tmp_path / "new.db"
    before = 0
    if existing == "current":
        Store(path).add_client("Someone else")
    elif existing == "version 1":
        version_1_database(path)
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
