"""Two devices pushing edits of the same record at the same moment: PostgreSQL's deadlock
detector must never cost a valid edit.

A lock cycle once made this happen: an update locked the record row before the tenant clock while
a push held the clock across its later mutations, so device 2 pushing [update X, update R] and
device 1 pushing [update R] waited on each other and PostgreSQL aborted one with
``deadlock_detected``, answered ``rejected`` with the mid consumed. Every writing transaction
now locks the tenant clock first (``ClockRepository.lock``), and transient database errors fail
the whole push (retried) instead of rejecting the mutation.

The interleaving is forced, not hoped for: a superuser transaction holds the tenant clock while
device 2 (then device 1) queue up behind it; releasing it hands the clock to device 2 first.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import aiohttp
import psycopg2
import pytest

from tests.fault.servers import (
    REDIS_SHARED_URL,
    Device,
    FaultDatabase,
    login,
    make_tenant,
    server_process,
)

pytestmark = pytest.mark.postgres_only


async def wait_lock_waiters(db: FaultDatabase, count: int, timeout: float = 10.0) -> None:
    """Until ``count`` sessions of the application role wait on a lock in this database."""
    deadline = time.monotonic() + timeout
    while True:
        rows = await db.aquery(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND usename = 'pathsix_app'"
            " AND wait_event_type = 'Lock'",
            (db.name,),
        )
        if rows[0][0] >= count:
            return
        assert time.monotonic() < deadline, f"{count} lock waiters not seen in {timeout} s"
        await asyncio.sleep(0.02)


async def test_concurrent_edits_of_one_record_are_never_rejected(
    fault_db: FaultDatabase, tmp_path: Path
) -> None:
    tenant = await make_tenant(fault_db, n_users=1)
    async with (
        server_process(fault_db, REDIS_SHARED_URL, tmp_path) as server,
        aiohttp.ClientSession() as http,
    ):
        token = await login(http, server.url, tenant.users[0].email)
        one, two = Device(http, server.url, token), Device(http, server.url, token)
        r, x = str(uuid.uuid4()), str(uuid.uuid4())
        await two.push(
            [
                two.mutation("lead", r, "create", name="Shared R"),
                two.mutation("lead", x, "create", name="Other X"),
            ]
        )
        await one.pull()
        await two.pull()

        holder = psycopg2.connect(fault_db.admin_dsn(), connect_timeout=5)
        try:
            with holder.cursor() as cur:
                cur.execute(
                    "SELECT seq FROM tenant_clock WHERE tenant_id = %s FOR UPDATE",
                    (str(tenant.tenant_id),),
                )
            second = asyncio.create_task(
                two.post(
                    "/api/v1/sync/push",
                    two.push_body(
                        [
                            two.mutation("lead", x, "update", city="Two's city"),
                            two.mutation("lead", r, "update", phone="555-0202"),
                        ]
                    ),
                )
            )
            await wait_lock_waiters(fault_db, 1)  # device 2 holds X, queues for the clock
            first = asyncio.create_task(
                one.post(
                    "/api/v1/sync/push",
                    one.push_body([one.mutation("lead", r, "update", city="One's city")]),
                )
            )
            await wait_lock_waiters(fault_db, 2)  # device 1 holds R, queues for the clock
        finally:
            holder.rollback()  # the clock goes to device 2, which then wants R
            holder.close()
        (status_one, body_one), (status_two, body_two) = await asyncio.wait_for(
            asyncio.gather(first, second), 30
        )
        assert status_one == status_two == 200
        statuses = [res["status"] for res in body_one["results"] + body_two["results"]]
        assert "rejected" not in statuses, (body_one, body_two)
