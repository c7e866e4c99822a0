"""The shared validation fixtures of ``contracts/fixtures/<entity>/{valid,invalid}/*.json``.

They are hand-written test inputs (not generated): the server's tests check each one against the
entity's Create model and its exported JSON Schema, and the PWA's tests check its Zod schemas
against the same files, so both sides agree on what is accepted.

A valid file is ``{"body": {...}}``. An invalid one is ``{"field": "<dotted loc>" | "__root__",
"body": {...}}`` and may say ``"json_schema_expressible": false`` (a model-level rule JSON Schema
cannot state, such as exactly-one-of or date order) or ``"json_schema_gap": "<why>"`` (a rule
JSON Schema could state but the exported schema does not yet: a known defect to fix upstream).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sync_server.contracts import CONTRACTS_DIR

FIXTURES_DIR = CONTRACTS_DIR / "fixtures"


@dataclass(frozen=True, slots=True)
class Fixture:
    entity: str
    name: str
    valid: bool
    body: dict[str, Any]
    field: str | None = None
    json_schema_expressible: bool = True
    json_schema_gap: str | None = None

    @property
    def id(self) -> str:
        return f"{self.entity}/{'valid' if self.valid else 'invalid'}/{self.name}"


def _load(entity: str, path: Path, valid: bool) -> Fixture:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Fixture(
        entity=entity,
        name=path.stem,
        valid=valid,
        body=data["body"],
        field=data.get("field"),
        json_schema_expressible=data.get("json_schema_expressible", True),
        json_schema_gap=data.get("json_schema_gap"),
    )


def load_fixtures(root: Path = FIXTURES_DIR) -> list[Fixture]:
    """Every fixture under ``root``, in a stable order."""
    return [
        _load(path.parent.parent.name, path, path.parent.name == "valid")
        for path in sorted(root.glob("*/*/*.json"))
        if path.parent.name in ("valid", "invalid")
    ]


def error_locs(exc: ValidationError) -> set[str]:
    """The dotted locations Pydantic reports (``__root__`` for model-level rules)."""
    return {".".join(str(p) for p in err["loc"]) or "__root__" for err in exc.errors()}
