"""The shared fixtures of contracts/fixtures: the Create models and the exported JSON Schemas give
the same verdict on each (the PWA's Zod schemas are held to the same files)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from sync_server.contracts import CONTRACTS_DIR
from sync_server.contracts.fixtures import Fixture, error_locs, load_fixtures
from sync_server.schemas.records import CREATE_MODELS

FIXTURES = load_fixtures()
FORMATS = Draft202012Validator.FORMAT_CHECKER


def _id(fixture: Fixture) -> str:
    return fixture.id


def create_validator(entity: str) -> Draft202012Validator:
    """The exported schema of ``entity``'s Create body, with format checks on."""
    doc: dict[str, Any] = json.loads((CONTRACTS_DIR / f"{entity}.json").read_text())
    name = CREATE_MODELS[entity].__name__
    return Draft202012Validator({**doc, "$ref": f"#/$defs/{name}"}, format_checker=FORMATS)


def test_format_checks_are_available() -> None:
    # Without them "naive datetime" and "bad email" would pass JSON Schema silently.
    assert {"date", "date-time", "email", "uuid"} <= set(FORMATS.checkers)


@pytest.mark.parametrize("entity", sorted(CREATE_MODELS))
def test_every_entity_has_enough_fixtures(entity: str) -> None:
    mine = [f for f in FIXTURES if f.entity == entity]
    assert sum(f.valid for f in mine) >= 3
    assert sum(not f.valid for f in mine) >= 6


def test_markers_are_honest() -> None:
    for f in FIXTURES:
        if f.valid:
            assert f.field is None and f.json_schema_expressible and f.json_schema_gap is None
        else:
            assert f.field, f.id
        # Only model-level rules (cross-field) are beyond JSON Schema.
        assert f.json_schema_expressible or f.field == "__root__", f.id
    assert {f.entity for f in FIXTURES} == set(CREATE_MODELS)


@pytest.mark.parametrize("fixture", FIXTURES, ids=_id)
def test_pydantic_verdict(fixture: Fixture) -> None:
    model = CREATE_MODELS[fixture.entity]
    if fixture.valid:
        model.model_validate(fixture.body)
        return
    with pytest.raises(ValidationError) as caught:
        model.model_validate(fixture.body)
    assert fixture.field in error_locs(caught.value)


@pytest.mark.parametrize("fixture", FIXTURES, ids=_id)
def test_json_schema_verdict(fixture: Fixture) -> None:
    errors = [e.message for e in create_validator(fixture.entity).iter_errors(fixture.body)]
    if fixture.valid:
        assert errors == []
    elif not fixture.json_schema_expressible:
        assert errors == [], "JSON Schema now refuses it: drop json_schema_expressible"
    elif fixture.json_schema_gap:
        # A known defect of the exported schema; this fails once it is fixed, so the marker goes.
        assert errors == [], f"gap closed ({fixture.json_schema_gap}): drop json_schema_gap"
    else:
        assert errors, "the exported JSON Schema accepts what Pydantic refuses"
