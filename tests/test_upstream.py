"""serve.upstream: the front's kept-alive connections to one Oxigraph child."""

from __future__ import annotations

import asyncio
import socket

from ip5graph.serve.upstream import Pool


def test_a_pool_retired_while_an_exchange_connects_waits_for_that_exchange() -> None:
    """The owner ends a retired child once its pool has no exchange in flight; an exchange still
    opening its connection counted as none, so the child could be ended under a query just sent."""

    async def scenario() -> list[str]:
        events: list[str] = []
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen()
            pool = Pool(listener.getsockname())
            started = asyncio.ensure_future(pool.exchange(b"GET / HTTP/1.1\r\n\r\n", 1000))
            await asyncio.sleep(0)  # the exchange is now opening its connection
            pool.retire(lambda: events.append("retired child ended"))
            events.append("exchange sent")
            conn, answer = await started
            pool.done(conn, reuse=False)
            answer.cancel()
        return events

    assert asyncio.run(scenario()) == ["exchange sent", "retired child ended"]
