"""``zhili.core.web``: the sockets the console and the content service listen on."""

from __future__ import annotations

import asyncio
import socket

from zhili.core import web


def test_accepted_connections_send_without_delay() -> None:
    """asyncio sets ``TCP_NODELAY`` on the connections a server accepts only when the listening socket
    names ``IPPROTO_TCP``; without it a response's head and body wait on each other (Nagle's algorithm
    against the client's delayed ACK), 40 ms on every request (the console's page times in
    docs/benchmarks.md were that floor before stop 30)."""
    sock = web.listen("127.0.0.1", 0)
    seen: list[int] = []

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            seen.append(transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection(*sock.getsockname()[:2])
            for _ in range(200):
                if seen:
                    break
                await asyncio.sleep(0.01)
            writer.close()

    asyncio.run(main())
    assert seen and seen[0] != 0
