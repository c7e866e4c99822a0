"""``pathsix serve``: one aiohttp process, or several sharing one listening socket.

One Python process uses one CPU. ``--workers N`` binds the socket once, then forks N worker
processes that each run the whole application on it (the kernel hands each new connection to one
of them); the parent only supervises: it restarts a worker that dies and stops them all on
SIGTERM, SIGINT or SIGHUP. Workers share nothing in memory, so several of them need what several
instances need (ARCHITECTURE.md): PostgreSQL, and Redis for pokes and rate limits. The embedded
SQLite default stays one process.

Stopping. SIGTERM, SIGINT and SIGHUP to the supervisor all mean the same: it sends SIGTERM to
every worker, waits for them to finish their requests and exits 0. SIGHUP is a stop, not a
reload: a hangup is the terminal going away, and a reload would need the settings read again in
the supervisor, which never builds the application. Workers ignore SIGHUP themselves (a hangup
reaches the whole process group): the supervisor stops them, so none is restarted by mistake.

A supervisor that dies without stopping them (SIGKILL, a crash) must not leave workers holding
the port: on Linux each worker asks the kernel for SIGTERM when its parent dies
(``PR_SET_PDEATHSIG``) and stops as it would on the supervisor's SIGTERM. Elsewhere a worker
outlives a killed supervisor; Linux is the platform this serves on.
"""

from __future__ import annotations

import contextlib
import ctypes
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
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


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


def parent_death_signal() -> Callable[[int], bool] | None:
    """On Linux, a function that asks the kernel to send the calling process ``signum`` when its
    parent dies, true when it took; ``None`` elsewhere. Looked up before any fork: the child
    only calls it."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong]
    prctl.restype = ctypes.c_int

    def ask(signum: int) -> bool:
        return bool(prctl(_PR_SET_PDEATHSIG, signum) == 0)

    return ask


def serve_workers(
    settings: Settings, host: str, port: int, workers: int, app: Callable[[], web.Application]
) -> int:
    """Run ``workers`` processes on one socket until SIGTERM, SIGINT or SIGHUP; returns the exit
    status. ``app`` builds the application inside each worker (after the fork: no event loop,
    pool or thread crosses it)."""
    check_workers(settings, workers)
    sock = listen(host, port)
    supervisor = os.getpid()
    die_with_parent = parent_death_signal()
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
        # The stop signals are still blocked: a SIGTERM for a supervisor that dies from here on
        # waits for the unblock below, where SIG_DFL ends the worker; once run_app runs, its
        # handler stops the worker as the supervisor's own SIGTERM does.
        if die_with_parent is not None and not die_with_parent(signal.SIGTERM):
            log.warning("worker_parent_death_signal_refused", slot=slot, errno=ctypes.get_errno())
        if os.getppid() != supervisor:  # the supervisor died before the kernel was asked
            os._exit(0)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
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
