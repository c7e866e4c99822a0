"""The field policy table: complete, exact names (API.md), the MANUAL rules of SYNC.md."""

import json

import pytest

from conflict import ENTITIES, FIELD_POLICIES, Policy, export_policy_table, policy_for

CONTACT_BLOCK = (
    "contact_person contact_title email phone phone_label secondary_phone "
    "secondary_phone_label address city state zip"
)
EXPECTED_FIELDS: dict[str, str] = {
    "lead": f"name {CONTACT_BLOCK} notes lead_status lead_source business_type assigned_to "
    "converted_on converted_client_id",
    "client": f"name {CONTACT_BLOCK} status business_type assigned_to source_lead_id converted_on",
    "project": "name description project_status project_start project_end project_worth "
    "value_type client_id lead_id assigned_to notes",
    "account": "client_id account_number account_name status opened_on notes",
    "subscription": "client_id plan_name price billing_cycle start_date renewal_date status",
    "contact": "client_id lead_id first_name last_name title email phone notes is_primary",
    "interaction": "client_id lead_id project_id contact_date type summary outcome notes "
    "follow_up followup_status contact_person email phone",
    "note": "entity entity_id body",
}
EXPECTED_MANUAL: dict[str, str] = {
    "lead": "lead_status assigned_to converted_on converted_client_id",
    "client": "status assigned_to source_lead_id converted_on",
    "project": "project_status project_worth client_id lead_id assigned_to",
    "account": "client_id status",
    "subscription": "client_id price billing_cycle status",
    "contact": "client_id lead_id",
    "interaction": "client_id lead_id project_id followup_status",
    "note": "entity entity_id",
}


def test_entities_are_the_eight_synced_types() -> None:
    assert tuple(EXPECTED_FIELDS) == ENTITIES
    assert set(FIELD_POLICIES) == set(ENTITIES)


@pytest.mark.parametrize("entity", ENTITIES)
def test_table_lists_exactly_the_api_fields(entity: str) -> None:
    assert set(FIELD_POLICIES[entity]) == set(EXPECTED_FIELDS[entity].split())


@pytest.mark.parametrize("entity", ENTITIES)
def test_manual_exactly_where_sync_md_says(entity: str) -> None:
    manual = {f for f, p in FIELD_POLICIES[entity].items() if p is Policy.MANUAL}
    assert manual == set(EXPECTED_MANUAL[entity].split())
    for field in set(EXPECTED_FIELDS[entity].split()) - manual:
        assert policy_for(entity, field) is Policy.LWW


def test_unknown_entity_raises_key_error() -> None:
    with pytest.raises(KeyError):
        policy_for("invoice", "name")


def test_unknown_field_of_known_entity_is_lww() -> None:
    assert policy_for("lead", "favourite_colour") is Policy.LWW


def test_unlisted_field_with_a_manual_name_stays_manual() -> None:
    assert policy_for("note", "assigned_to") is Policy.MANUAL


def test_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        FIELD_POLICIES["lead"]["name"] = Policy.MANUAL  # type: ignore[index]


def test_export_is_json_serialisable_sorted_and_stable() -> None:
    table = export_policy_table()
    text = json.dumps(table, sort_keys=False)
    assert json.loads(text) == table
    assert text == json.dumps(export_policy_table(), sort_keys=True)
    assert list(table) == sorted(table)
    for entity, fields in table.items():
        assert list(fields) == sorted(fields)
        assert fields == {f: p.value for f, p in FIELD_POLICIES[entity].items()}


def test_export_is_a_fresh_copy() -> None:
    table = export_policy_table()
    table["lead"]["name"] = "manual"
    assert export_policy_table()["lead"]["name"] == "lww"
