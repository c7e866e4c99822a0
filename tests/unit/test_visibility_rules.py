"""The visibility rules without a database: which record a row inherits its visibility from
(``visibility_parent``), that the write path propagates along exactly those links
(``dependents``/``inherits_from``), and that the SQL rule always stays inside one tenant.
The SQL-vs-Python agreement on real rows is tests/integration/test_visibility_agreement.py."""

from __future__ import annotations

import re
import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite

from sync_server.db.repositories.visibility import visibility_parent, visible_clause
from sync_server.entities import ENTITIES, Rule
from sync_server.services.write_path import dependents, inherits_from

IDS = st.none() | st.uuids()


def test_rules_are_those_of_api_md() -> None:
    rules = {name: spec.rule for name, spec in ENTITIES.items()}
    assert rules == {
        "lead": Rule.OWNED,
        "client": Rule.OWNED,
        "project": Rule.PROJECT,
        "account": Rule.CHILD,
        "subscription": Rule.CHILD,
        "contact": Rule.CHILD,
        "interaction": Rule.CHILD,
        "note": Rule.NOTE,
    }
    governing = {
        name: [(p.field, p.entity) for p in spec.parents if p.governs_visibility]
        for name, spec in ENTITIES.items()
    }
    assert governing["interaction"] == [("client_id", "client"), ("lead_id", "lead")]
    assert governing["account"] == governing["subscription"] == [("client_id", "client")]


@st.composite
def rows(draw: st.DrawFn) -> tuple[str, Any]:
    """An in-memory (never saved) row of any entity, with any combination of links."""
    name = draw(st.sampled_from(sorted(ENTITIES)))
    values: dict[str, Any] = {"created_by": draw(st.uuids())}
    model = ENTITIES[name].model
    for column in ("assigned_to", "client_id", "lead_id", "project_id"):
        if hasattr(model, column):
            values[column] = draw(IDS)
    if name == "note":
        values |= {"entity": draw(st.sampled_from(["lead", "client", "project"]))}
        values |= {"entity_id": draw(st.uuids())}
    return name, model(**values)


def reference_parent(name: str, row: Any) -> tuple[str, uuid.UUID] | None:
    """API.md "Visibility", read literally: whose visibility does this row take?"""
    if name in ("lead", "client"):
        return None
    if name == "project":
        if row.assigned_to is not None:
            return None
        if row.client_id is not None:
            return "client", row.client_id
        return ("lead", row.lead_id) if row.lead_id is not None else None
    if name == "note":
        return row.entity, row.entity_id
    if row.client_id is not None:
        return "client", row.client_id
    return ("lead", row.lead_id) if getattr(row, "lead_id", None) is not None else None


@given(rows())
def test_visibility_parent_follows_api_md(case: tuple[str, Any]) -> None:
    name, row = case
    assert visibility_parent(ENTITIES[name], row) == reference_parent(name, row)


@given(rows())
def test_write_path_propagates_along_every_inherited_link(case: tuple[str, Any]) -> None:
    """When a parent's audience moves, the write path walks ``dependents(parent)``: every row
    that inherits from a record must be reachable that way, and recognised by inherits_from."""
    name, row = case
    spec = ENTITIES[name]
    parent = visibility_parent(spec, row)
    if parent is None:
        return
    columns = [c for s, c in dependents(parent[0]) if s.name == name]
    assert any(getattr(row, c) == parent[1] for c in columns), (name, parent, columns)
    assert inherits_from(spec, row, *parent)
    other = uuid.uuid4()
    assert not inherits_from(spec, row, parent[0], other)


def test_an_interaction_project_link_is_not_a_visibility_link() -> None:
    assert all(s.name != "interaction" for s, _ in dependents("project"))
    assert ("note", "entity_id") in {(s.name, c) for s, c in dependents("project")}


def _compiled(name: str, dialect: Any) -> str:
    spec = ENTITIES[name]
    clause = visible_clause(spec, spec.model, uuid.uuid4())
    return str(clause.compile(dialect=dialect, compile_kwargs={"literal_binds": False}))


def test_every_parent_lookup_stays_in_the_row_tenant() -> None:
    """Each EXISTS over a parent table compares the parent's tenant_id with the row's, so a
    record can never inherit visibility from another tenant's record with the same id."""
    for name in ENTITIES:
        for dialect in (sqlite.dialect(), postgresql.dialect()):
            sql = _compiled(name, dialect)
            subqueries = sql.count("EXISTS")
            tenant_joins = len(re.findall(r"\w+_\d+\.tenant_id = \w+\.tenant_id", sql))
            assert subqueries == tenant_joins, (name, sql)
            if ENTITIES[name].rule is Rule.OWNED:
                assert subqueries == 0 and "created_by" in sql and "assigned_to" in sql
            else:
                assert subqueries > 0
