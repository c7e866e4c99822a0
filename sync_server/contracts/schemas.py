"""JSON Schema 2020-12 documents of the wire shapes, generated from the Pydantic models.

Request bodies are exported in validation mode (what the server accepts) and responses in
serialization mode (what the server sends), so the two sides of a shape can differ where the
models make them differ (e.g. money is a decimal string in both, timestamps are strings out).
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from sync_server.errors import ErrorCode
from sync_server.schemas import auth, types
from sync_server.schemas.base import ErrorBody, Strict
from sync_server.schemas.list import list_envelope
from sync_server.schemas.preferences import Preferences
from sync_server.schemas.records import CREATE_MODELS, READ_MODELS, UPDATE_MODELS
from sync_server.schemas.tenant_config import TenantConfig

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_PREFIX = "urn:pathsix:contracts:v1:"

ModelModes = Iterable[tuple[type[BaseModel], JsonSchemaMode]]


def schema_id(name: str) -> str:
    return ID_PREFIX + name


def defs_of(models: ModelModes, ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
    """One ``$defs`` map for several models (shared sub-schemas are emitted once)."""
    _, top = models_json_schema(list(models), ref_template=ref_template)
    defs: dict[str, Any] = top.get("$defs", {})
    return defs


def document(name: str, title: str, description: str, defs: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "$id": schema_id(name),
        "title": title,
        "description": description,
        "$defs": defs,
    }


def entity_document(entity: str) -> dict[str, Any]:
    defs = defs_of(
        [
            (CREATE_MODELS[entity], "validation"),
            (UPDATE_MODELS[entity], "validation"),
            (READ_MODELS[entity], "serialization"),
        ]
    )
    return document(
        entity,
        f"{entity} (API v1)",
        f"Create (POST body), Update (PATCH body) and Read (response) shapes of a {entity}.",
        defs,
    )


def _auth_models() -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    """Every model of schemas/auth.py; Strict ones are request bodies, the rest responses."""
    found = [
        obj
        for obj in vars(auth).values()
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == auth.__name__
    ]
    return [(m, "validation" if issubclass(m, Strict) else "serialization") for m in found]


def user_document() -> dict[str, Any]:
    return document(
        "user",
        "user and auth (API v1)",
        "The current user and the /auth request and response bodies.",
        defs_of(_auth_models()),
    )


def closed_lists() -> dict[str, Any]:
    """Every ``Literal`` alias of schemas/types.py: the closed value lists."""
    return {
        name: {**TypeAdapter(alias).json_schema(), "title": name}
        for name, alias in vars(types).items()
        if typing.get_origin(alias) is Literal
    }


def tenant_config_document() -> dict[str, Any]:
    return document(
        "tenant_config",
        "tenant configuration (API v1)",
        "The white-label configuration of GET /config and GET/PUT /admin/config (TenantConfig): "
        "labels may rename a closed list's values but never add or remove one.",
        defs_of([(TenantConfig, "validation")]),
    )


def preferences_document() -> dict[str, Any]:
    return document(
        "preferences",
        "view preferences (API v1)",
        "A user's view preferences of GET/PUT /preferences (Preferences): page size, sort and "
        "columns per list view.",
        defs_of([(Preferences, "validation")]),
    )


class RecordRead(BaseModel):
    """Any record's Read shape (see the entity's own contract file)."""

    model_config = ConfigDict(extra="allow")


def shared_types_document() -> dict[str, Any]:
    defs = defs_of([(ErrorBody, "serialization"), (list_envelope(RecordRead), "serialization")])
    defs["ErrorCode"] = {**TypeAdapter(ErrorCode).json_schema(), "title": "ErrorCode"}
    defs.update(closed_lists())
    return document(
        "shared_types",
        "shared types (API v1)",
        "Closed value lists, the error shape (ErrorBody, codes in ErrorCode) and the list "
        "envelope (RecordList) shared by every resource.",
        defs,
    )
