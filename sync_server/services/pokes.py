"""Live pokes: data-less "pull now" messages to the devices of users whose synced set changed.

With Redis, every instance publishes to and listens on per-tenant channels, so a push handled by
one process pokes devices connected to another. Without Redis (embedded default), or while Redis
is unreachable, pokes are delivered in process only and devices on other instances fall back to
their periodic pull.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator

import structlog
from aiohttp import WSCloseCode, web
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = structlog.get_logger("sync_server.pokes")
CHANNEL_PREFIX = "pathsix:poke:"

Key = tuple[uuid.UUID, uuid.UUID]  # (tenant, user)


class PokeHub:
    def __init__(self, redis: Redis | None) -> None:
        self._redis = redis
        self._sockets: dict[Key, set[web.WebSocketResponse]] = defaultdict(set)
        self.delivered = 0
        # Set on shutdown: redis-py can turn a cancellation that lands mid-connect into a
        # ConnectionError, which the retry loop would otherwise swallow forever.
        self.stopping = asyncio.Event()

    def connect(self, tenant_id: uuid.UUID, user_id: uuid.UUID, ws: web.WebSocketResponse) -> None:
        self._sockets[(tenant_id, user_id)].add(ws)

    def disconnect(
        self, tenant_id: uuid.UUID, user_id: uuid.UUID, ws: web.WebSocketResponse
    ) -> None:
        sockets = self._sockets.get((tenant_id, user_id))
        if sockets is not None:
            sockets.discard(ws)
            if not sockets:
                del self._sockets[(tenant_id, user_id)]

    async def close_all(self) -> None:
        """Close every socket as "going away" (1001): on shutdown, so devices reconnect to
        another instance at once and the process stops without waiting for their heartbeats
        to fail (aiohttp waits for open handlers, a socket's ends only when it closes)."""
        sockets = [ws for group in self._sockets.values() for ws in group]
        closing = [
            ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown") for ws in sockets
        ]
        results = await asyncio.gather(*closing, return_exceptions=True)
        log.info(
            "pokes_closed",
            sockets=len(sockets),
            failed=sum(isinstance(r, BaseException) for r in results),
        )

    async def publish(self, tenant_id: uuid.UUID, users: set[uuid.UUID], seq: int) -> None:
        if not users:
            return
        if self._redis is not None:
            message = json.dumps({"users": sorted(map(str, users)), "seq": seq})
            try:
                await self._redis.publish(f"{CHANNEL_PREFIX}{tenant_id}", message)
                return
            except (RedisError, OSError) as exc:
                log.warning("poke_publish_failed", error=type(exc).__name__)
        await self.deliver(tenant_id, users, seq)

    async def deliver(self, tenant_id: uuid.UUID, users: set[uuid.UUID], seq: int) -> None:
        for user_id in users:
            for ws in list(self._sockets.get((tenant_id, user_id), ())):
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await ws.send_json({"type": "poke", "seq": seq})
                    self.delivered += 1

    async def listen(self) -> None:
        """Relay pokes published by any instance to this instance's sockets; reconnects."""
        assert self._redis is not None
        delay = 0.5
        while not self.stopping.is_set():
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.psubscribe(f"{CHANNEL_PREFIX}*")
                    delay = 0.5
                    # Polled with a timeout (not ``listen()``) so a stop request is seen within
                    # a second even if the cancellation itself was swallowed.
                    while not self.stopping.is_set():
                        message = await pubsub.get_message(timeout=1.0)
                        if message is not None:
                            await self._relay(message)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                if self.stopping.is_set():
                    return
                log.warning("poke_listener_down", error=type(exc).__name__, retry_in=delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), delay)
                delay = min(delay * 2, 10.0)

    async def _relay(self, message: dict[str, object]) -> None:
        if message.get("type") != "pmessage":
            return
        channel = message["channel"]
        channel = channel.decode() if isinstance(channel, bytes) else str(channel)
        data = message["data"]
        body = json.loads(data.decode() if isinstance(data, bytes) else str(data))
        tenant_id = uuid.UUID(channel.removeprefix(CHANNEL_PREFIX))
        await self.deliver(tenant_id, {uuid.UUID(u) for u in body["users"]}, int(body["seq"]))


@contextlib.asynccontextmanager
async def running(hub: PokeHub, redis: Redis | None) -> AsyncIterator[None]:
    task = asyncio.create_task(hub.listen()) if redis is not None else None
    try:
        yield
    finally:
        hub.stopping.set()
        if task is not None:
            task.cancel()
            # Bounded: a listener stuck in a client library must not hold shutdown.
            await asyncio.wait({task}, timeout=5)
