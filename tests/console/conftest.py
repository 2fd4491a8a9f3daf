"""The console over an indexed demo term: the bundled township scenario run on anvil (the embedded
chain's log query reads every receipt: 20 s more), indexed into SQLite with its people's names, and
served by uvicorn on a free loopback port in a thread, with the chain connected for re-tallies.

One per worker (session scope): the six files that read it share it instead of running the term six
times (about 25 s each). They only read it; the handover file, which records an issue, works on a copy of
the index and rolls the chain back (its own ``site``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from console_kit import Site

from zhili.console.app import create_app
from zhili.console.cli import demo_index, listen
from zhili.core.chain import connect


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with connect("anvil") as chain:
        db = demo_index(chain, tmp_path_factory.mktemp("console"))
        sock = listen("127.0.0.1", 0)
        server = uvicorn.Server(uvicorn.Config(create_app(str(db), chain), log_level="warning", server_header=False))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started, "the console did not start"
        yield Site(f"http://127.0.0.1:{sock.getsockname()[1]}", db, chain)
        server.should_exit = True
        thread.join(10)
