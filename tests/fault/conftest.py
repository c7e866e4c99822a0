"""Fixtures of the fault suite: one migrated PostgreSQL database for the session (each test works
in tenants of its own) and a scratch directory per test for server logs."""

from __future__ import annotations

import asyncio
import os

import pytest

from tests.fault.servers import FaultDatabase, create_fault_database


@pytest.fixture(scope="session")
async def fault_db() -> FaultDatabase:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    # Alembic runs its own event loop: migrate in a thread, off the test loop.
    return await asyncio.to_thread(create_fault_database, f"pathsix_fault_{worker}")
