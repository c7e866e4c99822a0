"""Named failpoints: deterministic fault injection for the fault-test suite (tests/fault/).

Why they exist. The sync protocol promises (SYNC.md) that a crash *before* a push commits applies
nothing and a crash *after* it commits turns the device's retry into ``duplicate``. Killing a
server "at some random moment during a push" tests neither promise reliably: the kill lands
wherever the scheduler happens to be, and a passing run proves little. Systems whose correctness
rests on crash behaviour inject faults at named points instead -- FoundationDB's simulator
``BUGGIFY`` sites, TiKV's ``fail_point!`` macros (the ``fail-rs`` crate), the ``gofail`` points of
etcd. A failpoint here parks the request at one exact line (say, after the push's effects are
written but before the transaction commits), logs that it did, and never returns; the test
waits for that log line and SIGKILLs the process, so the crash happens at precisely that point
on every run.

Production leaves ``PATHSIX_FAILPOINTS`` empty (the default): ``hit`` then returns at its first
test of one string attribute, costing nothing measurable. The setting is meant for test server
processes only; never set it on a real deployment (a parked request holds its transaction's
locks until the process dies).

Points (the only names accepted; a typo fails loudly instead of silently never firing):

- ``push.before_commit`` -- the push's mutations and ``last_mutation_id`` are written inside the
  request's transaction, which has not committed.
- ``push.after_commit`` -- the transaction has committed; the response has not been sent (and
  no poke has been published).
"""

from __future__ import annotations

import asyncio
import os
from functools import lru_cache

import structlog

from sync_server.settings import Settings

log = structlog.get_logger("sync_server.failpoints")

KNOWN: frozenset[str] = frozenset({"push.before_commit", "push.after_commit"})
REACHED_EVENT = "failpoint_reached"


@lru_cache(maxsize=8)
def parse(spec: str) -> frozenset[str]:
    """The failpoint names of a comma-separated setting; unknown names raise ``ValueError``."""
    names = frozenset(name.strip() for name in spec.split(",") if name.strip())
    unknown = names - KNOWN
    if unknown:
        raise ValueError(
            f"unknown failpoint(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(KNOWN))}"
        )
    return names


async def hit(settings: Settings, name: str) -> None:
    """Park the current request forever if failpoint ``name`` is enabled; otherwise nothing."""
    if not settings.failpoints:
        return
    if name not in parse(settings.failpoints):
        return
    log.warning(REACHED_EVENT, failpoint=name, pid=os.getpid())
    # An event nobody sets: the request waits here until the test kills the process.
    await asyncio.Event().wait()
