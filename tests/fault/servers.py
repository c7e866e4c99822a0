"""Real processes for the fault suite: server subprocesses (``python -m sync_server serve``), a
throwaway Redis that can be killed and brought back on the same port, PostgreSQL restarts, and a
small sync device speaking the wire protocol over HTTP and WebSocket.

Every wait here is bounded in time; every process started here is stopped by the context manager
that started it (SIGKILL when the test asks for it, SIGTERM then SIGKILL otherwise).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psycopg2
import redis

from scripts import pg_setup
from sync_server import failpoints
from sync_server.db import migrate
from sync_server.db.engine import Database, create_engine
from sync_server.services.tenants import NewUser, create_tenant, create_user
from sync_server.settings import Settings
from tests.support.redis_server import free_port
from tests.support.tenants import PASSWORD, unique_email

ROOT = Path(__file__).resolve().parents[2]
JWT_SECRET = "fault-secret-" + "y" * 40
REDIS_SHARED_URL = os.environ.get("PATHSIX_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=15)
# Variables of the parent environment a server subprocess must not inherit.
_SCRUB_PREFIXES = ("PATHSIX_", "DATABASE_URL", "REDIS_URL", "SENTRY_DSN")


# Database ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FaultDatabase:
    name: str
    app_url: str
    owner_url: str

    def admin_dsn(self) -> str:
        return f"host=127.0.0.1 port=5432 user=postgres dbname={self.name}"

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Read as the superuser (no RLS): what is really stored, whatever the app says."""
        conn = psycopg2.connect(self.admin_dsn(), connect_timeout=5)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return list(cur.fetchall())
        finally:
            conn.close()

    async def aquery(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return await asyncio.to_thread(self.query, sql, params)


def create_fault_database(name: str) -> FaultDatabase:
    """A fresh database (dropped first if present), migrated to head as the owner."""
    pg_setup.create_database(name, drop=True)
    app_url, owner_url = pg_setup.urls(name)
    settings = Settings(_env_file=None, database_url=app_url, migration_database_url=owner_url)
    migrate.upgrade(settings)
    return FaultDatabase(name, app_url, owner_url)


@dataclass
class Login:
    email: str
    user_id: uuid.UUID


@dataclass
class FaultTenant:
    tenant_id: uuid.UUID
    admin: Login
    users: list[Login]


async def make_tenant(db: FaultDatabase, n_users: int = 2) -> FaultTenant:
    """A tenant with an admin and ``n_users`` users, made in process (as ``pathsix tenant create``
    does) against the application role."""
    settings = Settings(_env_file=None, database_url=db.app_url)
    database = Database(create_engine(settings))
    try:
        admin_email = unique_email("fault-admin")
        ctx, admin = await create_tenant(
            database, "Fault " + admin_email, NewUser(admin_email, PASSWORD, "Admin"), 4
        )
        users = []
        for i in range(n_users):
            email = unique_email(f"fault-user{i}")
            user = await create_user(
                database, ctx.tenant_id, NewUser(email, PASSWORD, f"User {i}"), 4
            )
            users.append(Login(email, user.id))
        return FaultTenant(ctx.tenant_id, Login(admin_email, admin.id), users)
    finally:
        await database.dispose()


# PostgreSQL restart ------------------------------------------------------------------------------


def pg_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql"))
    assert versions, "no PostgreSQL cluster under /etc/postgresql"
    return versions[-1]


def pg_ready() -> bool:
    done = subprocess.run(
        ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432", "-t", "1"], check=False, timeout=10
    )
    return done.returncode == 0


def wait_pg_ready(timeout: float = 60.0) -> float:
    """Seconds until ``pg_isready`` succeeds; fails after ``timeout``."""
    start = time.monotonic()
    while not pg_ready():
        assert time.monotonic() - start < timeout, f"PostgreSQL not ready after {timeout} s"
        time.sleep(0.05)
    return time.monotonic() - start


class PgWatch:
    """Polls ``pg_isready`` in a thread from ``start`` on: when PostgreSQL went down and when it
    accepted connections again (monotonic clock)."""

    def __init__(self) -> None:
        self.down_at: float | None = None
        self.up_at: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        deadline = time.monotonic() + 120
        while not self._stop.is_set() and time.monotonic() < deadline:
            ready = pg_ready()
            now = time.monotonic()
            if not ready and self.down_at is None:
                self.down_at = now
            elif ready and self.down_at is not None and self.up_at is None:
                self.up_at = now
                return
            time.sleep(0.02)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def restart_postgres() -> None:
    """``pg_ctlcluster restart`` (fast shutdown: sessions are terminated, open transactions roll
    back). PostgreSQL is always left running: started again if the restart failed half-way."""
    version = pg_version()
    try:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=True,
            timeout=60,
            capture_output=True,
        )
    finally:
        if not pg_ready():
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
                check=False,
                timeout=60,
                capture_output=True,
            )
        wait_pg_ready(60)


# Redis -------------------------------------------------------------------------------------------


class RedisProcess:
    """A throwaway ``redis-server`` on a fixed port, killed and restarted on that same port.
    Never the machine's Redis on 6379."""

    def __init__(self, work_dir: Path) -> None:
        self.port = free_port()
        assert self.port != 6379
        self.work_dir = work_dir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def start(self, timeout: float = 10.0) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None, "redis-server must be on PATH"
        cmd = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        cmd += ["--appendonly", "no", "--daemonize", "no", "--dir", str(self.work_dir)]
        self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not self.ping():
            assert self.process.poll() is None, "redis-server exited at start-up"
            assert time.monotonic() < deadline, f"redis-server did not answer in {timeout} s"
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@contextlib.contextmanager
def throwaway_redis(work_dir: Path) -> Iterator[RedisProcess]:
    server = RedisProcess(work_dir)
    server.start()
    try:
        yield server
    finally:
        server.kill()


# Server subprocesses -----------------------------------------------------------------------------


def server_env(db: FaultDatabase, redis_url: str, var_dir: Path, fail: str = "") -> dict[str, str]:
    failpoints.parse(fail)  # a typo fails here, not as a point that never fires
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB_PREFIXES)}
    env.update(
        DATABASE_URL=db.app_url,
        PATHSIX_MIGRATION_DATABASE_URL=db.owner_url,
        REDIS_URL=redis_url,
        PATHSIX_JWT_SECRET=JWT_SECRET,
        PATHSIX_BCRYPT_ROUNDS="4",
        PATHSIX_LOGIN_LIMIT_PER_IP="100000",
        PATHSIX_LOGIN_LIMIT_PER_EMAIL="100000",
        PATHSIX_LOG_LEVEL="WARNING",
        PATHSIX_VAR_DIR=str(var_dir),
        PATHSIX_FAILPOINTS=fail,
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class ServerProcess:
    """One ``python -m sync_server serve`` process; ``restart`` keeps its port."""

    env: dict[str, str]
    work_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    args: list[str] = field(default_factory=list)  # more ``serve`` options, e.g. --workers

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.work_dir / f"server-{self.port}-{self.starts}.log"

    async def start(self, env: dict[str, str] | None = None, timeout: float = 30.0) -> None:
        assert self.process is None or self.process.poll() is not None
        self.env.update(env or {})
        self.starts += 1
        cmd = [sys.executable, "-m", "sync_server", "serve", "--host", "127.0.0.1"]
        cmd += ["--port", str(self.port), *self.args]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                cmd, env=self.env, cwd=self.work_dir, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
            while True:
                if self.process.poll() is not None:
                    raise AssertionError(f"server exited at start-up:\n{self.log_tail()}")
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with http.get(f"{self.url}/healthz") as r:
                        if r.status == 200:
                            return
                if time.monotonic() > deadline:
                    raise AssertionError(f"server not up in {timeout} s:\n{self.log_tail()}")
                await asyncio.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, open transactions die with their connections."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    async def restart(self, **env: str) -> None:
        self.stop()
        await self.start(env)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    async def wait_for_failpoint(self, name: str, timeout: float = 10.0) -> None:
        """Until the process logs that it is parked at failpoint ``name``."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.log_text().splitlines():
                with contextlib.suppress(ValueError):
                    entry = json.loads(line)
                    if entry.get("event") == failpoints.REACHED_EVENT and (
                        entry.get("failpoint") == name
                    ):
                        return
            assert self.process is not None and self.process.poll() is None, self.log_tail()
            if time.monotonic() > deadline:
                raise AssertionError(f"failpoint {name} not reached in {timeout} s")
            await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def server_process(
    db: FaultDatabase, redis_url: str, work_dir: Path, fail: str = "", args: list[str] | None = None
) -> AsyncIterator[ServerProcess]:
    work_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(db, redis_url, work_dir / "var", fail)
    server = ServerProcess(env, work_dir, args=list(args or []))
    try:
        await server.start()
        yield server
    finally:
        server.stop()


# A device ----------------------------------------------------------------------------------------


class RequestFailed(Exception):
    """A request that got no answer (connection error) or a 5xx."""

    def __init__(self, status: int | None, body: Any, started: float, ended: float) -> None:
        super().__init__(f"status={status} body={body!r}")
        self.status, self.body, self.started, self.ended = status, body, started, ended


async def login(http: aiohttp.ClientSession, base: str, email: str) -> str:
    body = {"email": email, "password": PASSWORD}
    async with http.post(f"{base}/api/v1/auth/login", json=body) as r:
        assert r.status == 200, await r.text()
        token: str = (await r.json())["access_token"]
        return token


@dataclass
class Device:
    """One device of one user: its client_id, mutation counter and pull cursor. ``base`` can be
    switched to talk to another server process."""

    http: aiohttp.ClientSession
    base: str
    token: str
    client_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    next_mid: int = 1
    cursor: str | None = None
    seen_seq: int = 0
    records: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    last_mutation_id: int = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        """(status, JSON body) of an answered request with status < 500; ``RequestFailed`` for
        a connection error or a 5xx."""
        started = time.monotonic()
        try:
            async with self.http.post(
                f"{self.base}{path}", json=body, headers=self.headers, timeout=HTTP_TIMEOUT
            ) as r:
                data = await r.json(content_type=None)
                if r.status >= 500:
                    raise RequestFailed(r.status, data, started, time.monotonic())
                return r.status, data
        except (aiohttp.ClientError, TimeoutError, ConnectionError) as exc:
            raise RequestFailed(None, repr(exc), started, time.monotonic()) from exc

    def mutation(self, entity: str, record_id: str, op: str, **fields: Any) -> dict[str, Any]:
        m = {"mid": self.next_mid, "entity": entity, "id": record_id, "op": op}
        m |= {"base_seq": self.seen_seq, "fields": fields}
        self.next_mid += 1
        return m

    def push_body(self, mutations: list[dict[str, Any]]) -> dict[str, Any]:
        return {"client_id": self.client_id, "schema_version": 1, "mutations": mutations}

    async def push(self, mutations: list[dict[str, Any]]) -> dict[str, Any]:
        status, body = await self.post("/api/v1/sync/push", self.push_body(mutations))
        assert status == 200, body
        return dict(body)

    async def pull(self, fresh: bool = False, max_pages: int = 50) -> list[dict[str, Any]]:
        """Pull to the end (every page); applies the changes to ``records``."""
        if fresh:
            self.cursor, self.records = None, {}
        changes: list[dict[str, Any]] = []
        for _ in range(max_pages):
            body = {"client_id": self.client_id, "schema_version": 1, "cursor": self.cursor}
            status, page = await self.post("/api/v1/sync/pull", body)
            assert status == 200, page
            if page["reset"]:
                self.records = {}
            changes += page["changes"]
            self.cursor = page["cursor"]
            if not page["has_more"]:
                self.seen_seq = page["server_seq"]
                self.last_mutation_id = page["last_mutation_id"]
                for c in changes:
                    key = (c["entity"], c["id"])
                    if c["op"] == "put":
                        self.records[key] = c["record"]
                    else:
                        self.records.pop(key, None)
                return changes
        raise AssertionError(f"pull did not finish in {max_pages} pages")


class PokeSocket:
    """A WebSocket to /api/v1/sync/ws whose messages are queued by a reader task."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.messages: asyncio.Queue[tuple[float, dict[str, Any]]] = asyncio.Queue()
        self.last_arrival = 0.0  # monotonic time the last message returned by next() arrived
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def connect(cls, http: aiohttp.ClientSession, base: str, token: str) -> PokeSocket:
        ws = await http.ws_connect(
            f"{base}/api/v1/sync/ws",
            protocols=("pathsix.sync.v1", f"bearer.{token}"),
            timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=5),
        )
        sock = cls(ws)
        assert await sock.next(5) == {"type": "ready"}
        return sock

    async def _read(self) -> None:
        async for msg in self.ws:
            if msg.type == aiohttp.WSMsgType.TEXT:
                await self.messages.put((time.monotonic(), json.loads(msg.data)))

    async def next(self, timeout: float) -> dict[str, Any] | None:
        try:
            self.last_arrival, message = await asyncio.wait_for(self.messages.get(), timeout)
        except TimeoutError:
            return None
        return message

    async def poke_at_least(self, seq: int, timeout: float) -> dict[str, Any] | None:
        """The first poke with ``seq`` or later, within ``timeout`` (older pokes are skipped)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            msg = await self.next(left)
            if msg is None:
                return None
            assert msg.get("type") == "poke", msg
            if int(msg["seq"]) >= seq:
                return msg
        return None

    def drain(self) -> list[dict[str, Any]]:
        out = []
        while not self.messages.empty():
            out.append(self.messages.get_nowait()[1])
        return out

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
