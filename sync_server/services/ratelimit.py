"""Sliding-window rate limits: atomic in Redis when configured, in process otherwise.

If Redis fails, the limiter falls back to its in-process window (never unlimited) and logs it;
the next call tries Redis again.
"""

from __future__ import annotations

import math
import time
import uuid
from collections import defaultdict, deque
from typing import Protocol

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = structlog.get_logger("sync_server.ratelimit")

# KEYS[1] = window key; ARGV = now_ms, window_ms, limit, member. Returns retry-after ms or 0.
_SLIDING_WINDOW = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, 0, now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('PEXPIRE', key, window)
return 0
"""


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int, window_seconds: int) -> float | None:
        """Count one attempt; return seconds to wait if over the limit, else None."""


class InProcessLimiter:
    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    async def hit(self, key: str, limit: int, window_seconds: int) -> float | None:
        now = time.monotonic()
        hits = self._hits[key]
        while hits and hits[0] <= now - window_seconds:
            hits.popleft()
        if len(hits) >= limit:
            return max(0.001, hits[0] + window_seconds - now)
        hits.append(now)
        return None


class RedisLimiter:
    def __init__(self, redis: Redis, fallback: InProcessLimiter | None = None) -> None:
        self._redis = redis
        self._script = redis.register_script(_SLIDING_WINDOW)
        self._fallback = fallback or InProcessLimiter()

    async def hit(self, key: str, limit: int, window_seconds: int) -> float | None:
        now_ms = int(time.time() * 1000)
        try:
            wait_ms = await self._script(
                keys=[f"pathsix:rl:{key}"],
                args=[now_ms, window_seconds * 1000, limit, f"{now_ms}-{uuid.uuid4().hex}"],
            )
        except (RedisError, OSError) as exc:
            log.warning("rate_limit_redis_unavailable", error=type(exc).__name__)
            return await self._fallback.hit(key, limit, window_seconds)
        return int(wait_ms) / 1000 if int(wait_ms) else None


def retry_after_header(wait_seconds: float) -> str:
    return str(max(1, math.ceil(wait_seconds)))
