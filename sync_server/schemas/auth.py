"""Auth request and response bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from sync_server.schemas.base import Strict
from sync_server.security.passwords import password_problems


class LoginRequest(Strict):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=200)


class UserOut(BaseModel):
    id: str
    email: str
    name: str
    tenant_id: str
    roles: list[str]
    is_active: bool


class LoginResponse(BaseModel):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    user: UserOut


class ForgotPasswordRequest(Strict):
    email: str = Field(min_length=3, max_length=254)


class ResetPasswordRequest(Strict):
    token: str = Field(min_length=10, max_length=1000)
    # The limits are checked by the validator below (so every broken rule is reported at once)
    # and published in the schema for clients.
    password: str = Field(
        description="8-64 characters, at most 72 bytes in UTF-8",
        json_schema_extra={"minLength": 8, "maxLength": 64},
    )

    @field_validator("password")
    @classmethod
    def _password_rules(cls, value: str) -> str:
        if problems := password_problems(value):
            raise ValueError("; ".join(problems))
        return value
