"""Admin user management (``/api/v1/admin/users``): users, roles, deactivation, reassignment."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, EmailStr, Field

from sync_server.schemas.base import ErrorBody, Response, Strict
from sync_server.schemas.search import SearchText
from sync_server.schemas.types import UtcDateTime

Role = Literal["admin", "user", "file_uploads"]


class UsersQuery(Strict):
    """Query string of ``GET /admin/users`` (ordered by email)."""

    q: SearchText | None = Field(default=None, max_length=200, description="In email or name")
    active: bool | None = Field(default=None, description="Only active (true) or inactive users")
    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = Field(default=None, description="`next_cursor` of the previous page")
    count: bool = Field(default=False, description="`true` adds `total`")


class UserCreate(Strict):
    """Without ``password`` the user is invited: a mail with a link to choose one (the password
    reset link, valid as long as a reset link; "Forgot password" sends a fresh one)."""

    email: EmailStr
    name: str = Field(default="", max_length=200)
    roles: list[Role] = Field(default=["user"], min_length=1)
    password: str | None = Field(default=None, description="8-64 characters, at most 72 bytes")


class UserUpdate(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    roles: list[Role] | None = Field(default=None, min_length=1)


class ReassignRequest(Strict):
    to_user_id: uuid.UUID


class UserAdminRead(Response):
    id: uuid.UUID
    email: str
    name: str
    roles: list[str]
    is_active: bool
    created_at: UtcDateTime
    last_sync_at: UtcDateTime | None = Field(description="When one of their devices last synced")
    devices: int = Field(description="Sync devices registered to the user")


class UserCreated(UserAdminRead):
    invited: bool = Field(description="true: an invitation mail was sent (no password given)")


class UserAdminList(Response):
    items: list[UserAdminRead]
    next_cursor: str | None
    limit: int
    total: int | None = None


class ReassignResult(BaseModel):
    entity: str
    id: uuid.UUID
    status: Literal["ok", "failed"]
    error: ErrorBody | None = None


class ReassignResponse(BaseModel):
    to_user_id: uuid.UUID
    results: list[ReassignResult]
