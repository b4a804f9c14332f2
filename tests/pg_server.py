"""A throwaway PostgreSQL cluster on loopback for tests and benchmarks (Debian's `postgresql`).

``PostgresServer`` runs ``initdb`` into a temporary directory and ``pg_ctl start`` on a free
127.0.0.1 port, with trust authentication for the local test user only; :meth:`stop` shuts it
down and removes the directory. PostgreSQL refuses to run as root, so under root the cluster is
run as the ``postgres`` system user the package creates. ``missing_reason`` says why it cannot
start here (tests then skip).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.e2e.emulator import free_port


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _run_as() -> list[str]:
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return ["<no-user>"]
    return ["runuser", "-u", "postgres", "--"]


def missing_reason() -> str | None:
    if _binary("initdb") is None or _binary("pg_ctl") is None:
        return "PostgreSQL is not installed (apt-get install postgresql)"
    if _run_as() == ["<no-user>"]:
        return "running as root without a 'postgres' user to run PostgreSQL"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    return None


class PostgresServer:
    """One cluster: ``url`` for psycopg once :meth:`start` returned."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="netra-pg-"))
        self.data = self.dir / "data"
        self.prefix = _run_as()
        self.user = "postgres" if self.prefix else pwd.getpwuid(os.geteuid()).pw_name

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self.prefix, *args], check=True, capture_output=True, text=True, timeout=120
        )

    def start(self) -> PostgresServer:
        if self.prefix:
            shutil.chown(self.dir, user="postgres")
        initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
        assert initdb and pg_ctl
        self._run(initdb, "-D", str(self.data), "-A", "trust", "-U", self.user, "--no-sync")
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} "
            "-c fsync=off -c max_connections=50"
        )
        log = str(self.dir / "log")
        self._run(pg_ctl, "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
        return self

    def stop(self) -> None:
        pg_ctl = _binary("pg_ctl")
        if pg_ctl and self.data.exists():
            subprocess.run(
                [*self.prefix, pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()
