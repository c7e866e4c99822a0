"""Sync pulls encode records with ``services.records.serialize_rows`` (``serialize`` for the rows
of one result), from rows of the sync repository's own column list: for every valid fixture of
every entity, that gives exactly what the entity's Read model gives (stored and read back
through SQLite in memory), the same as ``serialize`` of the ORM object."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from sync_server.db.models import Base
from sync_server.db.repositories.sync import read_columns
from sync_server.entities import ENTITIES
from sync_server.services.records import serialize, serialize_rows
from tests.unit.test_serialize import VALID, _row

BY_ENTITY: dict[str, list[Any]] = defaultdict(list)
for _fixture in VALID:
    BY_ENTITY[_fixture.entity].append(_fixture)


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_pulled_rows_serialize_like_the_read_model(entity: str) -> None:
    spec = ENTITIES[entity]
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine, tables=[spec.model.__table__])  # type: ignore[attr-defined]
    when = datetime(2024, 5, 31, 23, 59, 59, 123456, UTC)
    with Session(engine) as session:
        for n, fixture in enumerate(BY_ENTITY[entity]):
            session.add(_row(fixture, when, trashed=n % 2 == 1))
        session.commit()
        objects = list(session.scalars(select(spec.model).order_by(spec.model.id)))
        rows = list(session.execute(select(*read_columns(spec)).order_by(spec.model.id)))
        expected = [spec.read.model_validate(o).model_dump(mode="json") for o in objects]
        assert len(rows) == len(BY_ENTITY[entity]) > 0
        assert serialize_rows(spec, rows) == expected == [serialize(spec, o) for o in objects]
        assert [list(r) for r in serialize_rows(spec, rows)] == [list(e) for e in expected]


def test_no_rows_serialize_to_nothing() -> None:
    assert serialize_rows(ENTITIES["lead"], []) == []
