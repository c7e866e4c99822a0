"""Build rules read from the source (no database): only repositories query tenant tables, tenant
contexts are minted only where ARCHITECTURE.md allows, and only settings.py reads the environment.

Each checker takes (source, path) and returns violations; the snippet tests prove each one catches
what it is meant to catch, so a passing scan of ``sync_server/`` means something.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import pickle
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync_server.db.models import Base, tenant_tables
from sync_server.tenancy import TenantContext, mint_for_platform

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sync_server"
QUERY_ZONE = ("sync_server/db/repositories/", "sync_server/db/models/")

TENANT_MODELS = frozenset(
    m.class_.__name__ for m in Base.registry.mappers if "tenant_id" in m.local_table.c
)
TENANT_TABLES = frozenset(tenant_tables())
# Calls that build or run a query, or hand a model to the session.
QUERY_CALLS = frozenset(
    {
        *("select", "update", "delete", "insert", "execute", "query", "scalar", "scalars"),
        *("get", "add", "add_all", "merge", "select_from", "join", "outerjoin", "exists"),
        *("with_only_columns", "from_statement", "aliased", "stream", "stream_scalars"),
        *("filter", "filter_by", "where", "values", "returning"),
        *("bulk_save_objects", "bulk_insert_mappings"),
    }
)
# SQLAlchemy builders: a model reached indirectly (``spec.model``, ``x.__table__``) counts too.
BUILDERS = frozenset({"select", "insert", "select_from", "join", "outerjoin", "aliased", "query"})
INDIRECT = frozenset({"model", "__table__", "__mapper__"})
RAW_SQL_CALLS = frozenset({"text", "exec_driver_sql"})
RAW_SQL = re.compile(
    r"\b(?:from|join|into|update|table)\s+\"?(" + "|".join(sorted(TENANT_TABLES)) + r")\b\"?",
    re.IGNORECASE,
)
MINT_RULES: dict[str, frozenset[str]] = {
    "mint_from_token": frozenset({"sync_server/http/middleware.py"}),
    "mint_for_login": frozenset({"sync_server/services/auth.py"}),
    "mint_for_platform": frozenset(
        {"sync_server/services/tenants.py", "sync_server/cli.py", "sync_server/demo.py"}
    ),
    "_mint": frozenset(),
    "_MINT_KEY": frozenset(),
}


def sources() -> Iterator[tuple[str, str]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.read_text(), path.relative_to(ROOT).as_posix()


def callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def model_aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> model class name, for ``from sync_server.db.models[...] import X as Y``."""
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sync_server.db"):
            for alias in node.names:
                out[alias.asname or alias.name] = alias.name
    return out


def model_refs(node: ast.AST, aliases: dict[str, str]) -> Iterator[str]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and aliases.get(sub.id, sub.id) in TENANT_MODELS:
            yield aliases.get(sub.id, sub.id)
        elif isinstance(sub, ast.Attribute) and sub.attr in TENANT_MODELS:
            yield sub.attr


def string_parts(node: ast.AST) -> Iterator[str]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            yield sub.value


def query_violations(source: str, path: str) -> list[str]:
    if path.startswith(QUERY_ZONE):
        return []
    tree = ast.parse(source)
    aliases = model_aliases(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = callee(node)
        args = [*node.args, *(k.value for k in node.keywords)]
        if name in QUERY_CALLS:
            for model in (m for a in args for m in model_refs(a, aliases)):
                found.add(f"{path}:{node.lineno}: {name}(...) uses {model}")
        if name in BUILDERS:
            for sub in (s for a in args for s in ast.walk(a)):
                if isinstance(sub, ast.Attribute) and sub.attr in INDIRECT:
                    found.add(f"{path}:{node.lineno}: {name}(...) uses .{sub.attr}")
        if name in RAW_SQL_CALLS:
            for match in (RAW_SQL.search(s) for a in args for s in string_parts(a)):
                if match:
                    found.add(f"{path}:{node.lineno}: raw SQL on {match.group(1)}")
    return sorted(found)


def mint_violations(source: str, path: str) -> list[str]:
    if path == "sync_server/tenancy.py":
        return []
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Name):
            names = [node.id]
        elif isinstance(node, ast.Attribute):
            names = [node.attr]
        elif isinstance(node, ast.ImportFrom):
            names = [a.name for a in node.names]
        for name in names:
            if name in MINT_RULES and path not in MINT_RULES[name]:
                line = getattr(node, "lineno", 0)
                found.append(f"{path}:{line}: {name} used outside {set(MINT_RULES[name])}")
        if isinstance(node, ast.Call) and callee(node) == "TenantContext":
            found.append(f"{path}:{node.lineno}: TenantContext constructed directly")
    return found


def environ_violations(source: str, path: str) -> list[str]:
    if path == "sync_server/settings.py":
        return []
    found: list[str] = []
    banned = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in banned:
            found.append(f"{path}:{node.lineno}: os.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [f"{path}:{node.lineno}: from os import {a.name}" for a in node.names]
    return [v for v in found if any(b in v for b in banned)]


# --- the rules hold for sync_server/ -------------------------------------------------------------


def test_package_is_scanned() -> None:
    paths = [p for _, p in sources()]
    assert "sync_server/http/middleware.py" in paths and len(paths) > 20
    assert {"Lead", "User", "UserRole", "PasswordReset"} <= TENANT_MODELS
    assert "Tenant" not in TENANT_MODELS and "leads" in TENANT_TABLES


def test_only_repositories_query_tenant_tables() -> None:
    violations = [v for source, path in sources() for v in query_violations(source, path)]
    assert violations == []


def test_tenant_contexts_are_minted_only_where_allowed() -> None:
    violations = [v for source, path in sources() for v in mint_violations(source, path)]
    assert violations == []


def test_only_settings_reads_the_environment() -> None:
    violations = [v for source, path in sources() for v in environ_violations(source, path)]
    assert violations == []


def test_tenant_context_cannot_be_constructed_directly() -> None:
    tid = uuid.uuid4()
    with pytest.raises(TypeError):
        TenantContext(tid, None, frozenset({"admin"}))
    with pytest.raises(TypeError):
        TenantContext(tid, None, frozenset(), object())
    assert mint_for_platform(tid).tenant_id == tid


def test_tenant_context_cannot_be_copied_into_another_tenant() -> None:
    ctx = mint_for_platform(uuid.uuid4(), roles=())
    with pytest.raises(TypeError):
        dataclasses.replace(ctx, tenant_id=uuid.uuid4())  # type: ignore[type-var]
    with pytest.raises(TypeError):
        pickle.dumps(ctx)
    with pytest.raises(AttributeError):
        ctx.tenant_id = uuid.uuid4()
    assert copy.copy(ctx) is ctx and copy.deepcopy(ctx) is ctx
    assert ctx == mint_for_platform(ctx.tenant_id, roles=()) and "admin" not in repr(ctx)


# --- the checkers catch what they are meant to ---------------------------------------------------

SERVICE = "sync_server/services/leads.py"


@pytest.mark.parametrize(
    "snippet",
    [
        "from sync_server.db.models import Lead\n"
        "async def f(s):\n    await s.execute(select(Lead))",
        "from sync_server.db.models import Lead as L\nq = select(L.id).where(L.name == 'x')",
        "from sync_server.db import models\nq = update(models.Client).values(name='x')",
        "from sync_server.db.models import User\n"
        "async def f(s, i):\n    return await s.get(User, i)",
        "from sync_server.db.models import Note\ndef f(s):\n    s.add(Note(id=1))",
        "from sync_server.db.models import Lead\nq = select(func.count()).select_from(Lead)",
        "def f(spec):\n    return select(spec.model).where(spec.model.id == 1)",
        "def f(spec):\n    return select(func.count()).select_from(spec.model.__table__)",
        "async def f(s):\n    await s.execute(text('SELECT * FROM leads WHERE id = 1'))",
        "async def f(s):\n    await s.execute(text('delete from \"users\"'))",
    ],
)
def test_query_checker_catches(snippet: str) -> None:
    assert query_violations(snippet, SERVICE)
    assert query_violations(snippet, "sync_server/db/repositories/leads.py") == []


@pytest.mark.parametrize(
    "snippet",
    [
        "from sync_server.db.models import User\nasync def f(r):\n    await r.users.create(User())",
        "from sync_server.db.models import Lead\ndef f(x: Lead) -> Lead:\n    return x",
        "from sync_server.db.models import Tenant\nq = select(Tenant)",
        "async def f(s):\n    await s.execute(text('SELECT 1'))",
    ],
)
def test_query_checker_allows(snippet: str) -> None:
    assert query_violations(snippet, SERVICE) == []


@pytest.mark.parametrize(
    ("snippet", "path"),
    [
        ("from sync_server.tenancy import mint_from_token", "sync_server/services/auth.py"),
        ("from sync_server import tenancy\nc = tenancy.mint_for_login(t)", SERVICE),
        ("from sync_server.tenancy import mint_for_platform as m\nm(t)", "sync_server/http/x.py"),
        ("from sync_server.tenancy import _mint", "sync_server/cli.py"),
        ("from sync_server import tenancy\nk = tenancy._MINT_KEY", SERVICE),
        ("from sync_server.tenancy import TenantContext\nTenantContext(t, u, r)", SERVICE),
    ],
)
def test_mint_checker_catches(snippet: str, path: str) -> None:
    assert mint_violations(snippet, path)


def test_mint_checker_allows_the_named_modules() -> None:
    assert (
        mint_violations("from sync_server.tenancy import mint_for_platform", "sync_server/cli.py")
        == []
    )
    assert mint_violations("c = mint_from_token(t, u, r)", "sync_server/http/middleware.py") == []


@pytest.mark.parametrize(
    "snippet",
    [
        "import os\nx = os.environ['X']",
        "import os\nx = os.getenv('X')",
        "import os as o\nx = o.environ.get('X')",
        "from os import environ",
        "from os import getenv as g",
    ],
)
def test_environ_checker_catches(snippet: str) -> None:
    assert environ_violations(snippet, SERVICE)
    assert environ_violations(snippet, "sync_server/settings.py") == []


def test_environ_checker_allows_other_os_use() -> None:
    assert environ_violations("import os\nfrom os import path\nos.path.join('a')", SERVICE) == []
