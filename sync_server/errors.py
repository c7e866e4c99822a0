"""One enum of error codes and one exception type; every HTTP failure becomes the one JSON shape:
``{"error": "...", "code": "...", "details": {...}}``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    BAD_JSON = "bad_json"
    BAD_REQUEST = "bad_request"
    VALIDATION_ERROR = "validation_error"
    UNAUTHORIZED = "unauthorized"
    INVALID_CREDENTIALS = "invalid_credentials"
    TOKEN_INVALID = "token_invalid"
    FORBIDDEN = "forbidden"
    ACCOUNT_DISABLED = "account_disabled"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    ALREADY_CONVERTED = "already_converted"
    MODIFIED = "modified"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    RATE_LIMITED = "rate_limited"
    MUTATION_GAP = "mutation_gap"
    UPGRADE_REQUIRED = "upgrade_required"
    INTERNAL = "internal_error"
    UNAVAILABLE = "unavailable"


_STATUS = {
    ErrorCode.BAD_JSON: 400,
    ErrorCode.BAD_REQUEST: 400,
    ErrorCode.VALIDATION_ERROR: 422,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.INVALID_CREDENTIALS: 401,
    ErrorCode.TOKEN_INVALID: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.ACCOUNT_DISABLED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.CONFLICT: 409,
    ErrorCode.ALREADY_CONVERTED: 409,
    ErrorCode.MUTATION_GAP: 409,
    ErrorCode.MODIFIED: 412,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: 415,
    ErrorCode.UPGRADE_REQUIRED: 426,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INTERNAL: 500,
    ErrorCode.UNAVAILABLE: 503,
}


class ApiError(Exception):
    """A failure meant for the client. Services raise it; the error middleware renders it."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        details: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers or {}

    @property
    def status(self) -> int:
        return _STATUS[self.code]

    def body(self) -> dict[str, Any]:
        return {"error": self.message, "code": str(self.code), "details": self.details}


def not_found(entity: str = "record") -> ApiError:
    return ApiError(ErrorCode.NOT_FOUND, f"{entity} not found")


def validation_error(fields: dict[str, list[str]], message: str = "Invalid input") -> ApiError:
    return ApiError(ErrorCode.VALIDATION_ERROR, message, {"fields": fields})


def status_for(code: ErrorCode) -> int:
    return _STATUS[code]
