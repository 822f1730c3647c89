"""Fixtures of the records tests: ``postgres``, a throwaway PostgreSQL cluster for the session
(skipped when PostgreSQL is not installed), and ``database``, a new, empty records database on
each engine: an SQLite file path, then a PostgreSQL URL."""

from __future__ import annotations

import subprocess

import pytest

from tests.records.cluster import Cluster, binaries


@pytest.fixture(scope="session")
def postgres():
    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (Debian package postgresql): the PostgreSQL runs skip")
    cluster = Cluster(bin_dir)
    try:
        cluster.start()
    except (OSError, subprocess.CalledProcessError) as error:
        cluster.stop()
        detail = getattr(error, "stderr", "") or error
        pytest.skip(f"could not start a PostgreSQL cluster: {detail}")
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> str:
    """A new records database: a file path (sqlite) or a URL (postgresql)."""
    if request.param == "sqlite":
        return str(tmp_path / "data" / "records.sqlite3")
    return request.getfixturevalue("postgres").new_database()
