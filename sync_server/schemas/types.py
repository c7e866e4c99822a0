"""Closed value lists and constrained scalar types shared by every record schema.

The three status lists are fixed product-wide (shared/reference): no tenant config, import, bulk
action or sync mutation may widen them. Tenants may only relabel them in the app.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema

LeadStatus = Literal["new", "contacted", "qualified", "lost", "converted"]
ClientStatus = Literal["prospect", "active", "inactive", "cancelled"]
ProjectStatus = Literal["active", "pending", "completed", "cancelled"]
AccountStatus = Literal["active", "inactive", "closed"]
SubscriptionStatus = Literal["active", "paused", "cancelled"]
PhoneLabel = Literal["work", "mobile", "home", "other"]
ValueType = Literal["one_time", "monthly", "yearly"]
BillingCycle = Literal["monthly", "yearly"]
InteractionType = Literal["call", "meeting", "email", "visit", "other"]
FollowupStatus = Literal["pending", "completed", "rescheduled", "cancelled"]
NoteParent = Literal["lead", "client", "project"]

LEAD_STATUSES: tuple[str, ...] = get_args(LeadStatus)
CLIENT_STATUSES: tuple[str, ...] = get_args(ClientStatus)
PROJECT_STATUSES: tuple[str, ...] = get_args(ProjectStatus)

# Digits with the usual separators, an optional leading +, an optional extension. Kept as a
# schema pattern (not a validator) so the exported JSON Schema and the PWA's Zod check it too.
PHONE_PATTERN = r"^\+?[0-9][0-9 ().\-]{5,28}[0-9]( *([xX]|[eE][xX][tT]\.?) *[0-9]{1,6})?$"
MONEY_PATTERN = r"^\d{1,12}(\.\d{1,2})?$"
_MONEY = re.compile(MONEY_PATTERN)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must include a timezone (ISO 8601 with Z)")
    return value.astimezone(UTC)


def _money_text(value: object) -> object:
    # Money travels as a decimal string only ("1250.00"): a JSON number would lose cents to
    # binary floats, and exponents, signs or spaces are refused as the contract says.
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str) or not _MONEY.match(value):
        raise ValueError('must be a decimal string such as "1250.00" (at most 2 decimals)')
    return value


def _money(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("must be a finite number")
    return value


Name = Annotated[str, Field(min_length=1, max_length=200)]
ShortText = Annotated[str, Field(max_length=200)]
Code = Annotated[str, Field(max_length=120)]
LongText = Annotated[str, Field(max_length=20_000)]
Phone = Annotated[str, Field(max_length=40, pattern=PHONE_PATTERN)]
Zip = Annotated[str, Field(max_length=20)]
UtcDateTime = Annotated[
    datetime,
    AfterValidator(_utc),
    PlainSerializer(
        lambda v: v.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        return_type=str,
        when_used="json",
    ),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
Money = Annotated[
    Decimal,
    BeforeValidator(_money_text),
    Field(ge=0, max_digits=14, decimal_places=2),
    AfterValidator(_money),
    PlainSerializer(lambda v: f"{v:.2f}", return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "description": "decimal string"}),
]
