"""What the data benchmarks share: the server subprocess, logins, closed-loop load, percentiles,
raw asyncpg connections, markdown tables and the JSON results in ``bench/results/``.

Everything talks to 127.0.0.1 only, and every loop is bounded by a deadline and a count.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts import pg_setup  # noqa: E402

HOST = "127.0.0.1"
RESULTS = ROOT / "bench" / "results"
# Fixed so that tokens and cursors mean the same thing across runs of one benchmark; this secret
# protects nothing but benchmark data on 127.0.0.1.
JWT_SECRET = "pathsix-bench-fixed-jwt-secret-not-for-production-0123456789"
# Database 13: auth_bench.py flushes 14, the test suite uses its own.
REDIS_URL = "redis://127.0.0.1:6379/13"
# PATHSIX_BENCH_DB names another database, so that two benchmarks can have data sets of their own.
FULL_DB = os.environ.get("PATHSIX_BENCH_DB", "pathsix_bench")
QUICK_DB = f"{FULL_DB}_quick"
MAX_OPS = 2_000_000  # hard cap on operations per scenario, whatever the duration


# Measurements ------------------------------------------------------------------------------------


@dataclass
class Result:
    """Latencies (seconds) of the successful operations of one scenario, and what went wrong."""

    scenario: str
    concurrency: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else float("nan")

    def pct(self, q: int) -> float:
        """The q-th percentile in milliseconds."""
        return percentile(self.latencies, q)

    def count(self, status: object) -> None:
        key = str(status)
        self.statuses[key] = self.statuses.get(key, 0) + 1

    def summary(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "concurrency": self.concurrency,
            "seconds": round(self.seconds, 3),
            "ok": self.ok,
            "errors": self.errors,
            "per_second": round(self.rate, 1),
            "p50_ms": round(self.pct(50), 2),
            "p95_ms": round(self.pct(95), 2),
            "p99_ms": round(self.pct(99), 2),
            "statuses": self.statuses,
            **self.extra,
        }


def percentile(latencies: Sequence[float], q: int) -> float:
    if not latencies:
        return float("nan")
    if len(latencies) < 2:
        return latencies[0] * 1000
    return statistics.quantiles(latencies, n=100, method="inclusive")[q - 1] * 1000


Op = Callable[[int], Awaitable[bool]]


async def closed_loop(
    name: str, concurrency: int, duration: float, op: Op, *, warmup: bool = True
) -> Result:
    """``concurrency`` workers each run ``op(worker)`` back to back until the deadline (and at
    most MAX_OPS in all). ``op`` returns True for success; an exception counts as an error."""
    if warmup:  # connections open and code paths hot; not counted
        await asyncio.gather(*(op(w) for w in range(concurrency)), return_exceptions=True)
    result = Result(name, concurrency)
    budget = [MAX_OPS]
    deadline = time.perf_counter() + duration

    async def worker(w: int) -> None:
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            t0 = time.perf_counter()
            try:
                ok = await op(w)
            except (aiohttp.ClientError, asyncpg.PostgresError, OSError, TimeoutError) as exc:
                result.errors += 1
                result.count(type(exc).__name__)
                continue
            if ok:
                result.latencies.append(time.perf_counter() - t0)
            else:
                result.errors += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    result.seconds = time.perf_counter() - start
    return result


# Machine and results -----------------------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "python": platform.python_version(),
        "load_average_before": round(os.getloadavg()[0], 2),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def machine_line(info: dict[str, Any]) -> str:
    return (
        f"{info['cpus']} CPU ({info['cpu_model']}) · Python {info['python']} · load average "
        f"before the run {info['load_average_before']:.2f} · client, server and PostgreSQL on "
        f"the same machine"
    )


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        if isinstance(v, float):
            return "n/a" if v != v else f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"
        return str(v)

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def write_results(name: str, payload: dict[str, Any]) -> Path:
    """bench/results/<name>.json (latest) and a timestamped copy."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(payload, indent=2, default=str)
    (RESULTS / f"{name}-{stamp}.json").write_text(text)
    latest = RESULTS / f"{name}.json"
    latest.write_text(text)
    return latest


def log(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


# Database ----------------------------------------------------------------------------------------


def dsn(db: str, role: str) -> str:
    """A plain asyncpg DSN (``role``: the app role, the owner role or ``postgres``)."""
    return f"postgresql://{role}@127.0.0.1:5432/{db}"


def app_dsn(db: str) -> str:
    return dsn(db, pg_setup.APP)


def owner_dsn(db: str) -> str:
    return dsn(db, pg_setup.OWNER)


def superuser_dsn(db: str) -> str:
    return dsn(db, "postgres")


@contextlib.asynccontextmanager
async def tenant_tx(conn: asyncpg.Connection, tenant_id: str) -> AsyncIterator[None]:
    """A transaction scoped to one tenant the way the server scopes its own (RLS setting)."""
    async with conn.transaction():
        await conn.execute("SELECT set_config('app.tenant_id', $1, true)", tenant_id)
        yield


# CPU accounting --------------------------------------------------------------------------------
# On a shared 2-core machine latency depends on what else runs; CPU time spent per request by the
# server process and by the PostgreSQL backends serving it does not, so both are reported.

_TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and of its live children (``serve --workers``: the workers)."""
    total = proc_cpu(pid)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == pid:
                total += proc_cpu(int(entry.name))
    return total


async def backend_pids(db: str, role: str) -> list[int]:
    conn = await asyncpg.connect(superuser_dsn(db))
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND usename = $2", db, role
        )
    finally:
        await conn.close()
    return [int(r["pid"]) for r in rows]


@dataclass
class CpuMeter:
    """CPU seconds used by the server process and the app role's PostgreSQL backends."""

    db: str
    server_pid: int | None = None
    start: tuple[float, dict[int, float]] = (0.0, {})

    async def __aenter__(self) -> CpuMeter:
        pids = await backend_pids(self.db, pg_setup.APP)
        server = tree_cpu(self.server_pid) if self.server_pid else 0.0
        self.start = (server, {p: proc_cpu(p) for p in pids})
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self.end_server = tree_cpu(self.server_pid) if self.server_pid else 0.0
        pids = set(self.start[1]) | set(await backend_pids(self.db, pg_setup.APP))
        self.end_db = {p: proc_cpu(p) for p in pids}

    def per_op_ms(self, ops: int) -> dict[str, float]:
        server = self.end_server - self.start[0]
        db = sum(v - self.start[1].get(p, 0.0) for p, v in self.end_db.items() if v)
        n = max(ops, 1)
        out = {"db_cpu_ms_per_op": round(1000 * db / n, 2)}
        if self.server_pid:
            out["server_cpu_ms_per_op"] = round(1000 * server / n, 2)
        return out


# The server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def server_env(db: str, var_dir: Path) -> dict[str, str]:
    app_url, owner_url = pg_setup.urls(db)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=app_url,
        PATHSIX_MIGRATION_DATABASE_URL=owner_url,
        REDIS_URL=REDIS_URL,
        PATHSIX_JWT_SECRET=JWT_SECRET,
        PATHSIX_BCRYPT_ROUNDS="4",
        PATHSIX_LOGIN_LIMIT_PER_IP="1000000000",
        PATHSIX_LOGIN_LIMIT_PER_EMAIL="1000000000",
        PATHSIX_VAR_DIR=str(var_dir),
        PATHSIX_LOG_LEVEL="INFO",
    )
    return env


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def slow_queries(self) -> list[str]:
        return [line for line in self.log_path.read_text(errors="replace").splitlines()
                if "slow_query" in line]  # fmt: skip


async def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit("the server exited during start-up; see its log")
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"{base}/healthz") as r:
                    if r.status == 200:
                        return
            await asyncio.sleep(0.2)
    raise SystemExit("the server did not answer /healthz in time")


@contextlib.asynccontextmanager
async def running_server(db: str, label: str = "server", workers: int = 1) -> AsyncIterator[Server]:
    """``python -m sync_server serve`` on a free port: PostgreSQL as the non-owner app role (RLS
    forced), Redis for pokes and rate limits, production log level, structlog to a file;
    ``workers`` processes (``serve --workers``)."""
    with tempfile.TemporaryDirectory(prefix="pathsix-bench-") as tmp:
        port = free_port()
        log_path = Path(tmp) / "server.log"
        serve = ["serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]
        with log_path.open("wb") as out:
            process = subprocess.Popen(  # noqa: ASYNC220 - spawning does not block
                [sys.executable, "-m", "sync_server", *serve],
                env=server_env(db, Path(tmp) / "var"),
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            server = Server(f"http://{HOST}:{port}", process, log_path)
            try:
                await _wait_ready(server.base, process)
                yield server
            except BaseException:
                sys.stderr.write(server.log_tail())
                raise
            finally:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                RESULTS.mkdir(parents=True, exist_ok=True)
                kept = RESULTS / f"{label}.log"
                kept.write_bytes(log_path.read_bytes())
                errors = [line for line in server.log_tail(10**9).splitlines()
                          if '"level": "error"' in line or "Traceback" in line]  # fmt: skip
                if errors:
                    log(f"server logged {len(errors)} errors (log kept in {kept}); first: "
                        f"{errors[0][:300]}")  # fmt: skip
                slow = server.slow_queries()
                if slow:
                    log(
                        f"server logged {len(slow)} slow queries (> 200 ms); first: {slow[0][:300]}"
                    )


async def login(session: aiohttp.ClientSession, base: str, email: str, password: str) -> str:
    async with session.post(
        f"{base}/api/v1/auth/login", json={"email": email, "password": password}
    ) as r:
        if r.status != 200:
            raise SystemExit(f"login {email} failed: {r.status} {await r.text()}")
        return str((await r.json())["access_token"])


async def login_all(base: str, emails: Sequence[str], password: str) -> dict[str, str]:
    """One token per user (login once; bcrypt is not what these benchmarks measure)."""
    async with aiohttp.ClientSession() as session:
        sem = asyncio.Semaphore(8)

        async def one(email: str) -> tuple[str, str]:
            async with sem:
                return email, await login(session, base, email, password)

        return dict(await asyncio.gather(*(one(e) for e in emails)))


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def rng(seed: int = 42) -> random.Random:
    return random.Random(seed)


# Profiling ---------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def profiled(pid: int, name: str, seconds: float) -> AsyncIterator[None]:
    """py-spy (when installed in the venv) samples the server while the block runs."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        log("py-spy not installed in the venv (pip install py-spy): no profile")
        yield
        return
    out = RESULTS / f"profile-{name}.txt"
    RESULTS.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(  # noqa: ASYNC220 - spawning does not block
        [str(spy), "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "200",
         "--format", "raw", "--output", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        yield
    finally:
        try:
            proc.wait(timeout=seconds + 30)
        except subprocess.TimeoutExpired:
            proc.kill()
        if out.exists():
            log(f"profile written to {out}; top: see `python -m bench.profile_top {out}`")
