"""Guard: conflict/ is a pure decision engine (ARCHITECTURE.md: "no I/O at all").

Every module is parsed with `ast`: imports must come from a small standard-library allow-list
and nothing may call I/O builtins or read a clock. A subprocess also checks that importing the
package loads none of the server's I/O stack.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "conflict"
ALLOWED_MODULES = {"__future__", "collections.abc", "dataclasses", "enum", "types", "typing"}
BANNED_CALLS = {"open", "print", "input", "eval", "exec", "compile", "__import__", "breakpoint"}
CLOCK_ATTRIBUTES = {"now", "utcnow", "today", "time", "monotonic", "perf_counter", "time_ns"}
HEAVY_MODULES = ["sync_server", "sqlalchemy", "aiohttp", "redis", "asyncio", "socket"]


def violations(source: str) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if not _allowed(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if not _allowed(node.module or ""):
                found.append(f"from {node.module} import ...")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in BANNED_CALLS:
                found.append(f"call {node.func.id}()")
        elif isinstance(node, ast.Attribute) and node.attr in CLOCK_ATTRIBUTES:
            found.append(f"clock .{node.attr}")
    return found


def _allowed(module: str) -> bool:
    return module in ALLOWED_MODULES or module == "conflict" or module.startswith("conflict.")


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_package_has_modules() -> None:
    assert PACKAGE / "__init__.py" in SOURCES and len(SOURCES) > 1


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_module_imports_only_the_allow_list(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "import os",
        "import sqlalchemy.orm",
        "from sync_server.db import x",
        "from aiohttp import web",
        "import redis",
        "import asyncio",
        "from datetime import datetime\nx = datetime.now()",
        "import time",
        "open('x')",
        "from collections import OrderedDict",
    ],
)
def test_guard_catches_forbidden_code(snippet: str) -> None:
    assert violations(snippet) != []


def test_importing_the_package_loads_no_io_stack() -> None:
    probe = (
        f"import sys, conflict; print(','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == ""
