"""The store on PostgreSQL: the faults only a server has are one sentence each, the password of
the URL never shows, a newer database is refused, a reader makes no tables, and a database of
another program gets none."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import make_url

from posture.records import ForeignDatabase, NewerDatabase, Store, StoreError, schema


def one_sentence(error: StoreError, where: str) -> str:
    text = str(error)
    assert text.startswith(f"The records database {where} ") and text.endswith("."), text
    return text


def sql(url: str, statement: str):
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else None


def test_a_server_that_does_not_answer_says_check_host_and_port(postgres):
    url = postgres.url("records").replace(f":{postgres.port}/", ":1/")
    with pytest.raises(StoreError) as caught:
        Store(url).add_client("Ana")
    text = one_sentence(caught.value, url)
    assert "could not be reached" in text and "so nothing was saved" in text
    assert "check that the database server is running and the URL's host and port" in text


def test_a_missing_database_says_create_it(postgres):
    url = postgres.url("no_such_records")
    with pytest.raises(StoreError) as caught:
        Store(url).clients()
    assert "does not exist on its server, so nothing could be read: create it" in one_sentence(
        caught.value, url
    )


def test_an_unknown_user_is_refused_and_the_password_never_shown(postgres):
    url = postgres.new_database().replace("posture_test@", "nobody:s3cret-pw@")
    with pytest.raises(StoreError) as caught:
        Store(url).add_client("Ana")
    shown = make_url(url).render_as_string(hide_password=True)
    text = one_sentence(caught.value, shown)
    assert "s3cret-pw" not in text and "refused the user name or password of the URL" in text


def test_a_reader_makes_no_tables_and_a_writer_makes_them_at_the_current_version(postgres):
    url = postgres.new_database()
    assert Store(url).clients() == [] and Store(url).schema_version() == 0
    assert sql(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]
    Store(url).add_client("Ana")
    assert sql(url, "SELECT version_num FROM alembic_version") == [(f"{schema.VERSION:04d}",)]
    assert Store(url).schema_version() == schema.VERSION


def test_a_newer_database_is_refused_and_left_as_it_is(postgres):
    url = postgres.new_database()
    Store(url).add_client("Ana")
    sql(url, "UPDATE alembic_version SET version_num = '0999'")
    for call in (Store(url).clients, lambda: Store(url).add_client("Bea")):
        with pytest.raises(NewerDatabase) as caught:
            call()
        assert f"(records version 999; this one knows up to {schema.VERSION})" in one_sentence(
            caught.value, url
        )
    assert sql(url, "SELECT name FROM clients") == [("Ana",)]


def test_another_programs_database_gets_no_tables(postgres):
    url = postgres.new_database()
    sql(url, "CREATE TABLE invoices (id integer)")
    with pytest.raises(ForeignDatabase):
        Store(url).add_client("Ana")
    assert sql(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'") == [("invoices",)]
