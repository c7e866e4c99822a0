"""Record the SQL statements the application sends (N+1 and lock-order checks)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import event

from sync_server.http.keys import DB

_TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def _listening(client: TestClient[Any, Any], seen: Callable[[str, Any], None]) -> Iterator[None]:
    """``seen(statement, parameters)`` for each statement the app's engine sends meanwhile."""
    app = client.app
    assert app is not None
    engine = app[DB].engine.sync_engine

    def hook(_conn: Any, _cursor: Any, statement: str, params: Any, *_args: Any) -> None:
        seen(statement, params)

    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", hook)


@contextmanager
def sent(client: TestClient[Any, Any]) -> Iterator[list[tuple[str, Any]]]:
    """Every statement sent while the block runs, with its parameters (the tenant setting
    ``set_config`` left out; transaction control and savepoints kept)."""
    out: list[tuple[str, Any]] = []

    def keep(statement: str, params: Any) -> None:
        if "set_config" not in statement:
            out.append((statement, params))

    with _listening(client, keep):
        yield out


@contextmanager
def statements(client: TestClient[Any, Any]) -> Iterator[list[str]]:
    """The statements sent while the block runs (transaction control left out)."""
    out: list[str] = []

    def keep(statement: str, _params: Any) -> None:
        if not statement.lstrip().upper().startswith(_TRANSACTION):
            out.append(statement)

    with _listening(client, keep):
        yield out
