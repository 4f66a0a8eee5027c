"""A throwaway PostgreSQL server for the tests.

Debian's PostgreSQL binaries (``/usr/lib/postgresql/*/bin``; ``scripts/test-deps.sh``
installs the ``postgresql`` package when missing) run a new cluster in a temporary
folder, listening on 127.0.0.1 on a free port only, for the whole test session; each
test that asks for it gets a new, empty database. PostgreSQL refuses to run as root:
as root the cluster runs as the ``postgres`` user that the Debian package creates.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from httpserver import free_port

USER = "storydesk"  # the cluster's superuser; trust authentication, loopback only


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL server's bin folder, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parent.parent.name)
                   if Path(p).parent.parent.name.isdigit() else 0)
    return Path(found[-1]).parent if found else None


class PgServer:
    """A running cluster: ``url(name)`` is a SQLAlchemy URL of database ``name``."""

    def __init__(self, bindir: Path, root: Path, port: int, run_as: str | None):
        self.bindir, self.root, self.port, self.run_as = bindir, root, port, run_as
        self._names = itertools.count(1)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(args, capture_output=True, text=True, user=self.run_as,
                              timeout=120, cwd=self.root)
        if proc.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr.strip()}\n{tail}")
        return proc

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", USER,
                  "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        # fsync off: a throwaway cluster need not survive a power cut, and the
        # tests run faster; no Unix socket: 127.0.0.1 only.
        opts = (f"-p {self.port} -h 127.0.0.1 -c unix_socket_directories='' "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=200")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts,
                  "-l", str(self.root / "server.log"), "-w", "-t", "60", "start")

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                      "-w", "stop")

    def url(self, name: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={USER} dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        name = f"t{next(self._names)}"
        self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with contextlib.suppress(Exception):
            self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def unavailable() -> str | None:
    """Why no PostgreSQL server can be started here (None: one can)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    if find_bindir() is None:
        return ("PostgreSQL server not installed: no /usr/lib/postgresql/*/bin/pg_ctl "
                "(scripts/test-deps.sh installs Debian's postgresql package)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run PostgreSQL as"
    return None


@contextlib.contextmanager
def running_server() -> Iterator[PgServer]:
    """Start a throwaway cluster, yield it, stop it and remove its files."""
    bindir = find_bindir()
    assert bindir is not None
    run_as = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="storydesk-pg-"))
    if run_as:
        pw = pwd.getpwnam(run_as)
        os.chown(root, pw.pw_uid, pw.pw_gid)
    server = PgServer(bindir, root, free_port(), run_as)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
