"""A throwaway PostgreSQL cluster: for the tests (``make test``), the benchmark and a try-out of the indexer.

Debian's ``postgresql`` package (``make setup-postgres`` installs it) gives ``initdb`` and ``pg_ctl``
under ``/usr/lib/postgresql/<version>/bin``; a cluster is made in a fresh directory of its own under
the temporary directory (``zhili-pg-*``), listens only on a unix socket in that directory (no TCP: two
runs side by side never meet), runs without fsync (nothing in it outlives the run) and is stopped and
removed at the end. PostgreSQL refuses to run as root: as root (CI), the cluster runs as the
``postgres`` user (``runuser``), and root connects through the socket.

A run killed before it could stop its cluster leaves it behind: each directory names the process that
owns it (``owner``), and every start stops and removes the clusters whose owner is gone.

    python -m zhili.index.pgcluster run -- pytest …    # ZHILI_TEST_PG_URL set for the command
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

from ..core.files import pid_alive

ENV = "ZHILI_TEST_PG_URL"  # a cluster's URL (its ``postgres`` database): tests make their own databases in it
PREFIX = "zhili-pg-"


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries here (``make setup-postgres``)."""


def bindir() -> Path | None:
    """The directory of ``initdb`` and ``pg_ctl`` (on the PATH, else Debian's newest), or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return versions[-1].parent if versions else None


def _as_user() -> list[str]:
    """The prefix that runs a server command as a user PostgreSQL accepts (root is refused)."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@dataclass(frozen=True)
class Cluster:
    directory: Path
    port: int
    bindir: Path

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg 3) of ``database``, through the cluster's socket."""
        return f"postgresql+psycopg://postgres@/{database}?host={self.directory}&port={self.port}"

    def stop(self) -> None:
        _stop(self.bindir, self.directory)


def _stop(bindir: Path, directory: Path) -> None:
    if (directory / "data" / "postmaster.pid").exists():
        subprocess.run([*_as_user(), str(bindir / "pg_ctl"), "stop", "-D", str(directory / "data"), "-m", "immediate", "-w"], capture_output=True, timeout=60)
    shutil.rmtree(directory, ignore_errors=True)


def reap(bin_: Path | None = None) -> list[Path]:
    """Stop and remove the clusters whose owning process is gone (a killed run's)."""
    bin_ = bin_ or bindir()
    gone = []
    for d in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            owner = int((d / "owner").read_text())
        except (OSError, ValueError):
            owner = 0
        if owner and pid_alive(owner):
            continue
        if bin_ is not None:
            _stop(bin_, d)
        else:
            shutil.rmtree(d, ignore_errors=True)
        gone.append(d)
    return gone


def _free_port() -> int:
    """A port number for the socket's name (``.s.PGSQL.<port>``; no TCP listener is opened)."""
    return random.randint(20000, 60000)


def start(owner: int | None = None) -> Cluster:
    """A new cluster, running (see the module's text); raises :class:`PostgresMissing` without the binaries."""
    bin_ = bindir()
    if bin_ is None:
        raise PostgresMissing("no initdb/pg_ctl (Debian: apt-get install postgresql; `make setup-postgres`)")
    reap(bin_)
    directory = Path(tempfile.mkdtemp(prefix=PREFIX))
    (directory / "owner").write_text(str(owner or os.getpid()))
    directory.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    user = _as_user()
    try:
        subprocess.run([*user, str(bin_ / "initdb"), "-D", str(directory / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                       check=True, capture_output=True, timeout=120)  # fmt: skip
        port = _free_port()
        opts = f"-k {directory} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        subprocess.run([*user, str(bin_ / "pg_ctl"), "start", "-D", str(directory / "data"), "-l", str(directory / "server.log"), "-w", "-t", "60", "-o", opts],
                       check=True, capture_output=True, timeout=90)  # fmt: skip
    except subprocess.CalledProcessError as exc:
        log = (directory / "server.log").read_text(errors="replace")[-2000:] if (directory / "server.log").exists() else ""
        _stop(bin_, directory)
        raise PostgresMissing(f"the PostgreSQL cluster did not start: {exc.stderr.decode(errors='replace')[-1000:]}{log}") from None
    return Cluster(directory, port, bin_)


def create_database(cluster_url: str, name: str | None = None) -> str:
    """A new empty database in the cluster of ``cluster_url``; its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(cluster_url)
    name = name or f"zhili_{uuid4().hex[:12]}"
    with psycopg.connect(host=str(u.query["host"]), port=int(str(u.query["port"])), user=u.username, dbname=u.database, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # cluster administration, not the index: no SQLAlchemy construct for it
    return u.set(database=name).render_as_string(hide_password=False)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "run" or argv[1] != "--" or len(argv) < 3:
        print("usage: python -m zhili.index.pgcluster run -- COMMAND …", file=sys.stderr)
        return 2
    try:
        cluster = start()
    except PostgresMissing as exc:
        print(f"pgcluster: {exc}", file=sys.stderr)
        return 1
    # a TERM or INT (make interrupted) still stops the cluster: turned into an exception here
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(128 + 15))
    try:
        return subprocess.call(argv[2:], env={**os.environ, ENV: cluster.url()})
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
