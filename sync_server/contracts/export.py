"""Render every generated contract file and write them, or check that the written ones are fresh.

Every top-level ``*.json`` in ``contracts/`` is generated here; hand-written files there
(``README.md``, ``fixtures/``, other Markdown) are never touched nor checked.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from conflict import export_policy_table
from sync_server.app import route_table
from sync_server.contracts import openapi, schemas, sync_protocol
from sync_server.schemas.records import CREATE_MODELS

GENERATED_GLOB = "*.json"
GENERATED_TEXT = ("sync-protocol.md",)


def dumps(data: Any) -> str:
    """Deterministic text: sorted keys, 2-space indent, trailing newline (stable --check)."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render() -> dict[str, str]:
    """Relative path inside contracts/ -> file text, for every generated file."""
    docs: dict[str, Any] = {f"{e}.json": schemas.entity_document(e) for e in CREATE_MODELS}
    docs["user.json"] = schemas.user_document()
    docs["shared_types.json"] = schemas.shared_types_document()
    docs["tenant_config.json"] = schemas.tenant_config_document()
    docs["preferences.json"] = schemas.preferences_document()
    docs["field_policies.json"] = export_policy_table()
    docs["openapi.json"] = openapi.build(route_table().specs)
    docs["sync.json"] = sync_protocol.sync_document()
    rendered = {name: dumps(doc) for name, doc in sorted(docs.items())}
    rendered["sync-protocol.md"] = sync_protocol.protocol_markdown()
    return rendered


def _existing(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    paths = [*root.glob(GENERATED_GLOB), *(root / n for n in GENERATED_TEXT if (root / n).exists())]
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(paths)}


def differences(root: Path, wanted: dict[str, str]) -> list[str]:
    """One line per stale, missing or extra generated file under ``root``."""
    have = _existing(root)
    problems = [f"missing: {n}" for n in wanted if n not in have]
    problems += [f"stale: {n}" for n in wanted if n in have and have[n] != wanted[n]]
    problems += [f"extra: {n}" for n in have if n not in wanted]
    return problems


def _write(root: Path, wanted: dict[str, str]) -> list[str]:
    """Bring ``root`` up to date; the names of the files written or removed."""
    root.mkdir(parents=True, exist_ok=True)
    changed = []
    for line in differences(root, wanted):
        kind, name = line.split(": ", 1)
        if kind == "extra":
            (root / name).unlink()
        else:
            (root / name).write_text(wanted[name], encoding="utf-8", newline="\n")
        changed.append(f"{'removed' if kind == 'extra' else 'wrote'} {name} ({kind})")
    return changed


def export(root: Path, check: bool) -> int:
    """Write the generated files into ``root`` (the contracts directory), or with ``check`` write
    nothing and answer 1 when any is stale, missing or extra (listed on stderr), else 0."""
    wanted = render()
    if check:
        problems = differences(root, wanted)
        for line in problems:
            print(f"contracts: {line}", file=sys.stderr)
        if problems:
            print("contracts: run `pathsix contracts export` and commit", file=sys.stderr)
        return 1 if problems else 0
    for line in _write(root, wanted):
        print(f"contracts: {line}")
    return 0
