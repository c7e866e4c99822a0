"""Shared pieces of every schema."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Unknown fields are refused, never ignored; strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Response(BaseModel):
    """Responses always carry every field, defaults included: the contract says so."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class ErrorBody(Response):
    """The one error shape, for every status >= 400."""

    error: str = Field(description="Human readable message")
    code: str = Field(description="Machine code (see ErrorCode)")
    details: dict[str, Any] = Field(default_factory=dict)
