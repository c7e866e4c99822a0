// Local search, filters and sort of a list; form values to API fields.
import { describe, expect, it } from "vitest";
import { fieldsOf } from "../src/records/fields";
import { changedFields, createPayload, toFormValues } from "../src/records/formValues";
import { distinctValues, prepare, queryRecords } from "../src/records/listQuery";

const rows = [
  {
    id: "1",
    name: "Bravo Bakery",
    lead_status: "new",
    lead_source: "Web",
    city: "Austin",
    created_at: "2026-01-01",
    updated_at: "2026-01-05",
  },
  {
    id: "2",
    name: "alpha Auto",
    lead_status: "contacted",
    lead_source: "Referral",
    city: "Boston",
    created_at: "2026-01-02",
    updated_at: "2026-01-03",
  },
  {
    id: "3",
    name: "Charlie Cafe",
    lead_status: "new",
    lead_source: "Web",
    phone: "555-0100",
    created_at: "2026-01-03",
    updated_at: "2026-01-04",
  },
  {
    id: "4",
    name: "Trashed",
    lead_status: "new",
    deleted_at: "2026-01-06",
    created_at: "2026-01-04",
    updated_at: "2026-01-06",
  },
];
const SEARCHED = ["name", "city", "phone", "lead_source"];
const ids = (list: { id: string }[]) => list.map((r) => r.id);

describe("queryRecords", () => {
  const prepared = prepare(rows, SEARCHED);
  it("searches case-insensitively across the searched fields, never Trash", () => {
    expect(ids(queryRecords(prepared, { q: "BOS", filters: {}, sort: "updated" }))).toEqual(["2"]);
    expect(ids(queryRecords(prepared, { q: "0100", filters: {}, sort: "updated" }))).toEqual(["3"]);
    expect(ids(queryRecords(prepared, { q: "trash", filters: {}, sort: "updated" }))).toEqual([]);
  });
  it("filters by status and source together", () => {
    expect(
      ids(queryRecords(prepared, { q: "", filters: { lead_status: "new", lead_source: "Web" }, sort: "name" })),
    ).toEqual(["1", "3"]);
    expect(ids(queryRecords(prepared, { q: "", filters: { lead_status: "" }, sort: "oldest" }))).toEqual([
      "1",
      "2",
      "3",
    ]);
  });
  it("sorts by update, name (case-insensitive), newest and oldest", () => {
    const q = { q: "", filters: {} };
    expect(ids(queryRecords(prepared, { ...q, sort: "updated" }))).toEqual(["1", "3", "2"]);
    expect(ids(queryRecords(prepared, { ...q, sort: "name" }))).toEqual(["2", "1", "3"]);
    expect(ids(queryRecords(prepared, { ...q, sort: "created" }))).toEqual(["3", "2", "1"]);
  });
  it("lists the values in use, with the tenant's suggestions", () => {
    expect(distinctValues(rows, "lead_source", ["Trade show"])).toEqual(["Referral", "Trade show", "Web"]);
  });
});

describe("form values", () => {
  const specs = fieldsOf("interaction", ["type", "contact_date", "summary", "follow_up"]);
  it("sends only the fields the user changed (a timestamp's round trip is no change)", () => {
    const record = { type: "call", contact_date: "2026-11-22T09:30:00Z", summary: "Call", follow_up: null };
    const before = toFormValues("interaction", specs, record);
    expect(changedFields(specs, before, { ...before })).toEqual({});
    const changed = changedFields(specs, before, { ...before, summary: "  Call back  ", follow_up: "" });
    expect(changed).toEqual({ summary: "Call back" });
  });
  it("builds a create body: empty fields left out, local date-times as UTC, the parent added", () => {
    const values = toFormValues("interaction", specs, { type: "visit", summary: "Visit" });
    const body = createPayload(
      specs,
      { ...values, contact_date: "2026-11-22T10:15" },
      { lead_id: "L", client_id: null },
    );
    expect(body).toEqual({
      type: "visit",
      summary: "Visit",
      contact_date: new Date(2026, 10, 22, 10, 15).toISOString(),
      lead_id: "L",
    });
  });
  it("starts a new record from the server's defaults", () => {
    expect(toFormValues("lead", fieldsOf("lead", ["lead_status"]), undefined)).toEqual({ lead_status: "new" });
    expect(toFormValues("contact", fieldsOf("contact", ["is_primary"]), undefined)).toEqual({ is_primary: false });
  });
});
