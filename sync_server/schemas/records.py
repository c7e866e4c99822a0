"""Create / Update / Read schemas of the eight CRM records (fields and names per API.md).

``Create`` models are written out; ``Update`` (every field optional, same rules) and ``Read``
(fields + the common record columns) are derived from them, so the three never drift apart.
Cross-field rules live in ``Create`` and are re-checked by the write path on the merged record,
so a PATCH cannot break them either.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, EmailStr, Field, create_model, model_validator
from pydantic.fields import FieldInfo

from sync_server.schemas.base import Strict
from sync_server.schemas.types import (
    AccountStatus,
    BillingCycle,
    ClientStatus,
    Code,
    FollowupStatus,
    InteractionType,
    LeadStatus,
    LongText,
    Money,
    Name,
    NoteParent,
    Phone,
    PhoneLabel,
    ProjectStatus,
    ShortText,
    SubscriptionStatus,
    UtcDateTime,
    ValueType,
    Zip,
)


class _ContactAddress(Strict):
    contact_person: ShortText | None = None
    contact_title: ShortText | None = None
    email: EmailStr | None = None
    phone: Phone | None = None
    phone_label: PhoneLabel | None = None
    secondary_phone: Phone | None = None
    secondary_phone_label: PhoneLabel | None = None
    address: Name | None = None
    city: Code | None = None
    state: Code | None = None
    zip: Zip | None = None
    notes: LongText | None = None
    business_type: Code | None = None
    assigned_to: uuid.UUID | None = None


def _exactly_one(model: BaseModel, *names: str) -> None:
    present = [n for n in names if getattr(model, n) is not None]
    if len(present) != 1:
        raise ValueError(f"exactly one of {', '.join(names)} is required")


class LeadCreate(_ContactAddress):
    name: Name
    lead_status: LeadStatus = "new"
    lead_source: Code | None = None
    converted_on: UtcDateTime | None = None
    converted_client_id: uuid.UUID | None = None


class ClientCreate(_ContactAddress):
    name: Name
    status: ClientStatus = "prospect"
    source_lead_id: uuid.UUID | None = None
    converted_on: UtcDateTime | None = None


class ProjectCreate(Strict):
    name: Name
    description: LongText | None = None
    project_status: ProjectStatus = "pending"
    project_start: date | None = None
    project_end: date | None = None
    project_worth: Money | None = None
    value_type: ValueType | None = None
    client_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    assigned_to: uuid.UUID | None = None
    notes: LongText | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.project_start and self.project_end and self.project_end < self.project_start:
            raise ValueError("project_end must not be before project_start")
        return self


class AccountCreate(Strict):
    client_id: uuid.UUID
    account_number: str = Field(min_length=1, max_length=60)
    account_name: ShortText | None = None
    status: AccountStatus = "active"
    opened_on: date | None = None
    notes: LongText | None = None


class SubscriptionCreate(Strict):
    client_id: uuid.UUID
    plan_name: Name
    price: Money
    billing_cycle: BillingCycle = "monthly"
    start_date: date | None = None
    renewal_date: date | None = None
    status: SubscriptionStatus = "active"

    @model_validator(mode="after")
    def _renewal_after_start(self) -> Self:
        if self.start_date and self.renewal_date and self.renewal_date < self.start_date:
            raise ValueError("renewal_date must not be before start_date")
        return self


class ContactCreate(Strict):
    client_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    first_name: str = Field(min_length=1, max_length=120)
    last_name: str | None = Field(default=None, max_length=120)
    title: str | None = Field(default=None, max_length=120)
    email: EmailStr | None = None
    phone: Phone | None = None
    notes: LongText | None = None
    is_primary: bool = False

    @model_validator(mode="after")
    def _one_parent(self) -> Self:
        _exactly_one(self, "client_id", "lead_id")
        return self


class InteractionCreate(Strict):
    client_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    project_id: uuid.UUID | None = None
    contact_date: UtcDateTime
    type: InteractionType | None = None
    summary: str = Field(min_length=1, max_length=2000)
    outcome: LongText | None = None
    notes: LongText | None = None
    follow_up: UtcDateTime | None = None
    followup_status: FollowupStatus | None = None
    contact_person: ShortText | None = None
    email: EmailStr | None = None
    phone: Phone | None = None

    @model_validator(mode="after")
    def _one_parent(self) -> Self:
        _exactly_one(self, "client_id", "lead_id")
        return self


class NoteCreate(Strict):
    entity: NoteParent
    entity_id: uuid.UUID
    body: str = Field(min_length=1, max_length=20_000)


def _annotation(field: FieldInfo) -> Any:
    """The field's type with its constraints (Pydantic moves top-level metadata off the type)."""
    if not field.metadata:
        return field.annotation
    return Annotated.__class_getitem__((field.annotation, *field.metadata))  # type: ignore[attr-defined]


class ConvertRequest(Strict):
    """POST /leads/{id}/convert: the new client's id may be chosen by the caller (offline)."""

    client_id: uuid.UUID | None = None


def _optional_fields(model: type[BaseModel]) -> dict[str, Any]:
    return {name: (_annotation(f) | None, None) for name, f in model.model_fields.items()}


def update_model(create: type[Strict]) -> type[Strict]:
    """Every field optional, null allowed only where the record allows it (checked on merge)."""
    name = create.__name__.replace("Create", "Update")
    return create_model(
        name, __base__=Strict, __doc__=f"PATCH body of {name[:-6]}", **_optional_fields(create)
    )


class RecordCommon(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    created_at: UtcDateTime
    updated_at: UtcDateTime
    created_by: uuid.UUID | None
    deleted_at: UtcDateTime | None
    version: int


def _read_annotation(field: FieldInfo) -> Any:
    """Reads serialise stored data, already validated on write: emails need no re-validation
    (the email validator was a third of a snapshot's CPU)."""
    if field.annotation == EmailStr | None:
        return str | None
    return _annotation(field)


def read_model(create: type[Strict]) -> type[BaseModel]:
    name = create.__name__.replace("Create", "Read")
    fields = {n: (_read_annotation(f), ...) for n, f in create.model_fields.items()}
    model: type[BaseModel] = create_model(  # type: ignore[call-overload]
        name, __base__=RecordCommon, __doc__=f"A {name[:-4]} as read", **fields
    )
    return model


CREATE_MODELS: dict[str, type[Strict]] = {
    "lead": LeadCreate,
    "client": ClientCreate,
    "project": ProjectCreate,
    "account": AccountCreate,
    "subscription": SubscriptionCreate,
    "contact": ContactCreate,
    "interaction": InteractionCreate,
    "note": NoteCreate,
}
UPDATE_MODELS = {entity: update_model(m) for entity, m in CREATE_MODELS.items()}
READ_MODELS = {entity: read_model(m) for entity, m in CREATE_MODELS.items()}
