"""PostgreSQL connection handling: reads without BEGIN/ROLLBACK, and a ping only for a connection left idle.

Store.read on PostgreSQL runs its statements in autocommit (READ COMMITTED
gave each statement its own snapshot inside a transaction too) with
psycopg's automatic prepared statements off; a pooled connection is pinged
before use only when it sat idle longer than PG_PING_IDLE, and one the
server closed meanwhile is replaced without the caller seeing an error.
"""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

import claims.store as store_mod
from claims.model import ClaimFilter, DocumentIn, Kind
from claims.store import Store
from testkit.claims import claim_at


@pytest.fixture
def pg_store(pg_url):
    s = Store(pg_url)
    yield s
    s.close()


def _add(store: Store) -> None:
    text = "Police said 12 people were killed."
    store.add_document(DocumentIn(text=text, publisher="Wire"),
                       [claim_at(text, "12 people were killed", kind=Kind.CASUALTIES, low=12, high=12)],
                       extractor_version="t")


def test_reads_run_in_autocommit_and_writes_in_a_transaction(pg_store):
    _add(pg_store)
    for _ in range(2):  # the same pooled connection, read then write then read
        with pg_store.read() as conn:
            raw = conn.connection.dbapi_connection
            assert raw.autocommit and raw.prepare_threshold is None
            assert conn.execute(sa.text("SELECT count(*) FROM claims")).scalar_one() == 1
            assert raw.info.transaction_status == 0  # IDLE: no transaction left open by the read
        assert not raw.autocommit and raw.prepare_threshold is not None  # as psycopg had it
        with pg_store.write() as conn:
            raw = conn.connection.dbapi_connection
            assert not raw.autocommit and conn.in_transaction()
    assert pg_store.count_claims(ClaimFilter(kinds=["casualties"])) == 1


def test_a_connection_used_moments_ago_is_not_pinged(pg_store, monkeypatch):
    pings = []
    real = pg_store.engine.dialect.do_ping
    monkeypatch.setattr(pg_store.engine.dialect, "do_ping", lambda c: pings.append(1) or real(c))
    monkeypatch.setattr(store_mod, "PG_PING_IDLE", 3600.0)
    for _ in range(3):
        pg_store.count_claims()
    assert pings == []
    monkeypatch.setattr(store_mod, "PG_PING_IDLE", -1.0)  # every checkout counts as idle: pinged
    for _ in range(3):
        pg_store.count_claims()
    assert len(pings) == 3


def test_an_idle_connection_the_server_closed_is_replaced(pg_store, pg_url, monkeypatch):
    _add(pg_store)
    with pg_store.read() as conn:
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    other = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with other.connect() as conn:
            assert conn.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar_one()
    finally:
        other.dispose()
    time.sleep(0.2)
    monkeypatch.setattr(store_mod, "PG_PING_IDLE", 0.0)  # idle longer than that: pinged, found closed, replaced
    assert pg_store.count_claims() == 1
    with pg_store.read() as conn:
        assert conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() != pid
