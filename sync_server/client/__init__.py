"""The reference sync client: a device of sync protocol v1 (SYNC.md) in plain Python.

It needs only aiohttp, the standard library and the wire schemas of ``sync_server.schemas``
(never the database), so the test suite, the benchmarks and anyone writing a client can drive a
real server with it exactly as a phone would.
"""

from sync_server.client.client import PullSummary, Rejection, SyncClient, SyncError
from sync_server.client.store import CRM_ENTITIES, Outbox, Pending, Records, Store
from sync_server.client.transport import (
    HttpTransport,
    LossyTransport,
    SyncHttpError,
    Transport,
    TransportError,
)

__all__ = [
    "CRM_ENTITIES",
    "HttpTransport",
    "LossyTransport",
    "Outbox",
    "Pending",
    "PullSummary",
    "Records",
    "Rejection",
    "Store",
    "SyncClient",
    "SyncError",
    "SyncHttpError",
    "Transport",
    "TransportError",
]
