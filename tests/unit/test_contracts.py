"""contracts/ is generated from the Pydantic models and the route table, and kept fresh."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from conflict import export_policy_table
from sync_server.app import route_table
from sync_server.contracts import CONTRACTS_DIR
from sync_server.contracts.export import export, render
from sync_server.contracts.parameters import openapi_path
from sync_server.entities import ENTITIES
from sync_server.http.routing import Access
from sync_server.schemas.records import CREATE_MODELS, READ_MODELS, UPDATE_MODELS
from sync_server.schemas.types import LEAD_STATUSES
from sync_server.services.listing import COMMON_PARAMS

NOT_SCHEMAS = ("openapi.json", "field_policies.json", "sync-protocol.md")
SCHEMA_FILES = ("user", "shared_types", "sync", "tenant_config", "preferences")


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return render()


@pytest.fixture(scope="module")
def openapi(rendered: dict[str, str]) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(rendered["openapi.json"])
    return doc


def test_committed_contracts_are_fresh(capsys: pytest.CaptureFixture[str]) -> None:
    assert export(CONTRACTS_DIR, check=True) == 0, capsys.readouterr().err


def test_render_is_deterministic(rendered: dict[str, str]) -> None:
    assert render() == rendered
    for name, text in rendered.items():
        if name.endswith(".json"):
            assert text.endswith("}\n") and "\n  " in text


def test_expected_files(rendered: dict[str, str]) -> None:
    entities = {f"{e}.json" for e in CREATE_MODELS}
    assert set(rendered) == entities | {f"{n}.json" for n in SCHEMA_FILES} | set(NOT_SCHEMAS)


def test_protocol_doc_tables_follow_the_code(rendered: dict[str, str]) -> None:
    """The prose's tables are generated: every manual field and every version is in it."""
    from conflict import export_policy_table
    from sync_server.schemas.sync import PROTOCOL_VERSIONS

    doc = rendered["sync-protocol.md"]
    for entity, fields in export_policy_table().items():
        row = next(line for line in doc.splitlines() if line.startswith(f"| {entity} |"))
        assert all(f in row for f, p in fields.items() if p == "manual")
    assert all(f"| {v} |" in doc for v in PROTOCOL_VERSIONS)


def _copy_contracts(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    shutil.copytree(CONTRACTS_DIR, root)
    return root


def test_check_reports_stale_missing_and_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy_contracts(tmp_path)
    assert export(root, check=True) == 0  # README.md and fixtures/ are never "extra"
    lead = root / "lead.json"
    lead.write_text(lead.read_text().replace('"maxLength": 200', '"maxLength": 201', 1))
    (root / "note.json").unlink()
    (root / "old.json").write_text("{}\n")
    capsys.readouterr()
    assert export(root, check=True) == 1
    err = capsys.readouterr().err
    assert "stale: lead.json" in err and "missing: note.json" in err and "extra: old.json" in err
    assert not (root / "note.json").exists()  # --check writes nothing
    assert export(root, check=False) == 0
    assert export(root, check=True) == 0
    assert not (root / "old.json").exists() and (root / "README.md").exists()


def test_openapi_is_valid_3_1(openapi: dict[str, Any]) -> None:
    assert openapi["openapi"] == "3.1.0"
    validate(openapi, cls=OpenAPIV31SpecValidator)


def test_every_route_is_documented(openapi: dict[str, Any]) -> None:
    specs = route_table().specs
    for spec in specs:
        path, _ = openapi_path(spec.path)
        operation = openapi["paths"][path][spec.method.lower()]
        assert operation["summary"] == spec.summary
        assert str(spec.status) in operation["responses"]
    documented = sum(len(ops) for ops in openapi["paths"].values())
    assert documented == len(specs)
    ids = [op["operationId"] for ops in openapi["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))


def test_security_and_errors(openapi: dict[str, Any]) -> None:
    for spec in route_table().specs:
        op = openapi["paths"][openapi_path(spec.path)[0]][spec.method.lower()]
        public = spec.access is Access.PUBLIC
        assert ("security" in op) is not public, spec.path
        assert {"4XX", "5XX"} <= set(op["responses"])
        assert ("401" in op["responses"]) is not public
    error = openapi["components"]["responses"]["E422"]["content"]["application/json"]
    assert error["schema"] == {"$ref": "#/components/schemas/ErrorBody"}


def test_list_routes_declare_their_query(openapi: dict[str, Any]) -> None:
    for spec in ENTITIES.values():
        params = {
            p["name"]: p for p in openapi["paths"][f"/api/v1/{spec.path}"]["get"]["parameters"]
        }
        assert list(params) == [*COMMON_PARAMS, *spec.filterable]
        assert set(params["sort"]["schema"]["enum"]) == {
            *spec.sortable,
            *(f"-{s}" for s in spec.sortable),
        }
    lead = {p["name"]: p for p in openapi["paths"]["/api/v1/leads"]["get"]["parameters"]}
    assert lead["lead_status"]["schema"]["items"]["enum"] == list(LEAD_STATUSES)


def test_bodies_come_from_the_models(openapi: dict[str, Any]) -> None:
    post = openapi["paths"]["/api/v1/leads"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/LeadCreate"
    )
    assert post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/LeadRead"
    )
    for schema in openapi["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", [f"{e}.json" for e in (*CREATE_MODELS, *SCHEMA_FILES)])
def test_json_schema_files_are_2020_12(rendered: dict[str, str], name: str) -> None:
    doc = json.loads(rendered[name])
    Draft202012Validator.check_schema(doc)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["$id"].endswith(":" + name.removesuffix(".json")) and doc["title"]


@pytest.mark.parametrize("entity", sorted(CREATE_MODELS))
def test_entity_files_hold_create_update_read(rendered: dict[str, str], entity: str) -> None:
    defs = json.loads(rendered[f"{entity}.json"])["$defs"]
    for models in (CREATE_MODELS, UPDATE_MODELS, READ_MODELS):
        assert models[entity].__name__ in defs


def test_shared_types_and_policies(rendered: dict[str, str]) -> None:
    shared = json.loads(rendered["shared_types.json"])["$defs"]
    assert shared["LeadStatus"]["enum"] == list(LEAD_STATUSES)
    for name in ("PhoneLabel", "ValueType", "BillingCycle", "NoteParent", "ErrorBody", "ErrorCode"):
        assert name in shared
    assert json.loads(rendered["field_policies.json"]) == export_policy_table()
    user = json.loads(rendered["user.json"])["$defs"]
    assert {"UserOut", "LoginRequest", "LoginResponse", "ResetPasswordRequest"} <= set(user)
