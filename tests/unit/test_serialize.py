"""``services.records.serialize`` builds a record's JSON without Pydantic: it must give exactly
what the entity's Read model gives, for every valid fixture of every entity, as stored (UTC) and
with timestamps in other offsets, in Trash or not."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from sync_server.contracts.fixtures import Fixture, load_fixtures
from sync_server.db.models import Base
from sync_server.db.repositories.records import read_columns
from sync_server.entities import ENTITIES
from sync_server.services.records import serialize

VALID = [f for f in load_fixtures() if f.valid]
OFFSET = timezone(timedelta(hours=-5, minutes=-30))


def _row(fixture: Fixture, when: datetime, trashed: bool) -> object:
    spec = ENTITIES[fixture.entity]
    fields = spec.create.model_validate(fixture.body).model_dump()
    model: Any = spec.model
    return model(
        **fields,
        id=uuid.uuid4(),
        tenant_id=uuid.uuid4(),
        created_at=when,
        updated_at=when + timedelta(microseconds=1),
        created_by=uuid.uuid4(),
        deleted_at=when if trashed else None,
        version=2**40 + 3,
        field_dots={"name": [1, None, None]},
    )


@pytest.mark.parametrize("fixture", VALID, ids=lambda f: f.id)
@pytest.mark.parametrize(
    ("when", "trashed"),
    [
        (datetime(2024, 5, 31, 23, 59, 59, 123456, UTC), False),
        (datetime(2024, 1, 1, 0, 0, tzinfo=OFFSET), True),
    ],
)
def test_serialize_matches_the_read_model(fixture: Fixture, when: datetime, trashed: bool) -> None:
    spec = ENTITIES[fixture.entity]
    row = _row(fixture, when, trashed)
    expected = spec.read.model_validate(row).model_dump(mode="json")
    assert serialize(spec, row) == expected
    assert list(serialize(spec, row)) == list(expected)  # same field order as the contract


def test_money_keeps_two_decimals() -> None:
    model: Any = ENTITIES["subscription"].model
    spec = ENTITIES["subscription"]
    row = model(
        id=uuid.uuid4(),
        client_id=uuid.uuid4(),
        plan_name="Plan",
        price=Decimal("12.5"),
        billing_cycle="monthly",
        status="active",
        created_at=datetime.now(UTC),
        updated_at=datetime.now(UTC),
        created_by=None,
        deleted_at=None,
        version=1,
    )
    assert serialize(spec, row)["price"] == "12.50"
    assert serialize(spec, row) == spec.read.model_validate(row).model_dump(mode="json")


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_result_rows_serialize_like_orm_objects(entity: str) -> None:
    """Lists read plain result rows of the Read columns (``RecordsRepository.page``, read by
    position), details ORM objects: the same record gives the same JSON either way (stored and
    read back through SQLite in memory)."""
    spec = ENTITIES[entity]
    fixture = next(f for f in VALID if f.entity == entity)
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine, tables=[spec.model.__table__])  # type: ignore[attr-defined]
    with Session(engine) as session:
        session.add(_row(fixture, datetime(2024, 5, 31, 23, 59, 59, 123456, UTC), trashed=True))
        session.commit()
        obj = session.scalars(select(spec.model)).one()
        table = spec.model.__table__  # type: ignore[attr-defined]
        every_column = session.execute(select(*table.c)).one()
        as_listed = session.execute(select(*(table.c[n] for n in read_columns(spec)))).one()
        expected = spec.read.model_validate(obj).model_dump(mode="json")
        assert serialize(spec, obj) == serialize(spec, every_column) == expected
        assert serialize(spec, as_listed) == expected
