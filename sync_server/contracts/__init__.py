"""Contracts: the wire shapes exported from the Pydantic models into ``contracts/``.

Pydantic (``sync_server.schemas``) is the source of truth; ``pathsix contracts export`` renders the
JSON Schemas, the field-policy table and ``openapi.json`` from it, and ``--check`` fails when the
committed files are stale. See ``contracts/README.md``.
"""

from __future__ import annotations

from pathlib import Path

# The repository root is the parent of the sync_server package.
REPO_ROOT = Path(__file__).resolve().parents[2]
CONTRACTS_DIR = REPO_ROOT / "contracts"


def main(check: bool) -> int:
    """``pathsix contracts export [--check]``: exit status 0, or 1 when ``check`` finds drift."""
    # Imported here: rendering reads the whole application's route table.
    from sync_server.contracts.export import export

    return export(CONTRACTS_DIR, check)
