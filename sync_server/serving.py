"""``pathsix serve``: one aiohttp process, or several sharing one listening socket.

One Python process uses one CPU. ``--workers N`` binds the socket once, then forks N worker
processes that each run the whole application on it (the kernel hands each new connection to one
of them); the parent only supervises: it restarts a worker that dies and stops them all on
SIGTERM or SIGINT. Workers share nothing in memory, so several of them need what several
instances need (ARCHITECTURE.md): PostgreSQL, and Redis for pokes and rate limits. The embedded
SQLite default stays one process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import NoReturn

import structlog
from aiohttp import web

from sync_server.settings import Settings

log = structlog.get_logger(__name__)

# A worker that dies this soon after its start is failing at start-up: restarting it in a loop
# would only hide that, so the server stops after this many such deaths in a row.
_EARLY_DEATH_SECONDS = 5.0
_EARLY_DEATHS_ALLOWED = 3
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


class WorkersRefused(Exception):
    """Several workers asked for where they cannot work (embedded SQLite, no Redis)."""


def check_workers(settings: Settings, workers: int) -> None:
    if workers < 1:
        raise WorkersRefused("--workers must be at least 1")
    if workers == 1:
        return
    if settings.is_sqlite:
        raise WorkersRefused(
            "several workers need PostgreSQL (DATABASE_URL): the embedded SQLite database is "
            "for one process"
        )
    if not settings.redis_url:
        raise WorkersRefused(
            "several workers need Redis (REDIS_URL): pokes and rate limits must be shared "
            "between the processes"
        )


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def serve_workers(
    settings: Settings, host: str, port: int, workers: int, app: Callable[[], web.Application]
) -> int:
    """Run ``workers`` processes on one socket until SIGTERM/SIGINT; returns the exit status.
    ``app`` builds the application inside each worker (after the fork: no event loop, pool or
    thread crosses it)."""
    check_workers(settings, workers)
    sock = listen(host, port)
    children: dict[int, tuple[int, float]] = {}  # pid -> (slot, started at)
    stopping = False

    def spawn(slot: int) -> None:
        """Fork a worker for ``slot``, unless the server is stopping. The stop signals are held
        back from the check to the new pid's registration (a stop arriving in between would
        miss the new worker), and in the child until it has its own handlers."""
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            if stopping:
                return
            pid = os.fork()
            if pid == 0:
                _worker(slot)
            children[pid] = (slot, time.monotonic())
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)

    def _worker(slot: int) -> NoReturn:
        for signum in _STOP_SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        status = 0
        try:
            web.run_app(app(), sock=sock, print=None)
        except Exception:  # reported, then the worker exits non-zero
            log.exception("worker_failed", slot=slot)
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    for signum in _STOP_SIGNALS:
        signal.signal(signum, stop)
    for slot in range(workers):
        spawn(slot)
    log.info("workers_started", workers=workers, host=host, port=port, pids=sorted(children))
    early_deaths = 0
    status = 0
    while children:
        try:
            pid, code = os.wait()
        except ChildProcessError:
            break
        if pid not in children:
            continue
        slot, started = children.pop(pid)
        if stopping:
            continue
        early_deaths = early_deaths + 1 if time.monotonic() - started < _EARLY_DEATH_SECONDS else 0
        log.error("worker_exited", pid=pid, slot=slot, status=os.waitstatus_to_exitcode(code))
        if early_deaths >= _EARLY_DEATHS_ALLOWED:
            log.error("workers_failing_at_start", deaths=early_deaths)
            status = 1
            stop(signal.SIGTERM, None)
            continue
        spawn(slot)
    sock.close()
    return status
