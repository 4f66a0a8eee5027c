"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import http_server  # noqa: F401  (a real HTTP server on 127.0.0.1)
from pgserver import PgServer, running_server, unavailable


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL server on 127.0.0.1, once per session (tests/pgserver.py);
    the test skips, saying why, where none can be started."""
    why = unavailable()
    if why:
        pytest.skip(why)
    with running_server() as server:
        yield server


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A new, empty PostgreSQL database's URL."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new store for each backend: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "d.db")
    return request.getfixturevalue("pg_url")
