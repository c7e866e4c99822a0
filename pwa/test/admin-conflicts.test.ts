// The conflict screens' logic: filters <-> URL <-> API query, the field-by-field comparison and
// the resolve request each choice makes, bulk selection, and the words shown.
import { describe, expect, it } from "vitest";
import { crmConfig } from "../src/config/crmConfig";
import type { ConflictDetail, ConflictRead } from "../src/contracts/zod";
import type { FieldSpec } from "../src/records/fields";
import {
  canCustomize,
  changedSince,
  choiceText,
  customText,
  defaultPicks,
  type FieldRow,
  fieldRows,
  listRows,
  resolveRequest,
  restoreRequest,
  showValue,
  typedValue,
  validateFields,
} from "../src/screens/admin/conflicts/diff";
import { deviceLabel, resolutionText } from "../src/screens/admin/conflicts/labels";
import {
  DEFAULT_FILTERS,
  filterErrors,
  filtersFromSearch,
  listPath,
  searchFromFilters,
} from "../src/screens/admin/conflicts/query";
import {
  bulkActions,
  bulkOutcome,
  outcomeText,
  pageState,
  prune,
  toggle,
  toggleAll,
} from "../src/screens/admin/conflicts/selection";

const DEVICE = "6f1c2b3a-1111-4222-8333-944445555666";
const USER = "0b7d7a3e-aaaa-4bbb-8ccc-dddddddddddd";

/** The row of one field (the test fails if it is missing). */
function field(rows: FieldRow[], name: string): FieldRow {
  const row = rows.find((r) => r.name === name);
  if (!row) throw new Error(`no row ${name}`);
  return row;
}

function specOf(row: FieldRow): FieldSpec {
  if (!row.spec) throw new Error(`${row.name} has no spec`);
  return row.spec;
}

describe("filters", () => {
  it("open is the default; every status is spelled out in the URL", () => {
    expect(filtersFromSearch(new URLSearchParams())).toEqual(DEFAULT_FILTERS);
    expect(searchFromFilters(DEFAULT_FILTERS).toString()).toBe("");
    const all = { ...DEFAULT_FILTERS, status: "" as const };
    expect(searchFromFilters(all).toString()).toBe("status=all");
    expect(filtersFromSearch(new URLSearchParams("status=all")).status).toBe("");
  });

  it("round-trips through the URL and ignores values outside the lists", () => {
    const filters = {
      status: "auto_resolved" as const,
      entity: "lead" as const,
      user: USER,
      device: DEVICE,
      from: "2026-11-01",
      to: "2026-11-30",
    };
    expect(filtersFromSearch(searchFromFilters(filters))).toEqual(filters);
    const odd = filtersFromSearch(new URLSearchParams("status=closed&entity=widget"));
    expect(odd.status).toBe("");
    expect(odd.entity).toBe("");
  });

  it("names the API's parameters and asks for the total", () => {
    const path = listPath({ ...DEFAULT_FILTERS, entity: "client", user: USER, device: DEVICE, from: "2026-11-01" });
    const url = new URL(path, "http://x");
    expect(url.pathname).toBe("/api/v1/admin/conflicts");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: "open",
      entity: "client",
      user_id: USER,
      client_id: DEVICE,
      created_from: "2026-11-01",
      limit: "25",
      count: "true",
    });
    const next = new URL(listPath({ ...DEFAULT_FILTERS, status: "" }, "abc", 10), "http://x").searchParams;
    expect(next.get("cursor")).toBe("abc");
    expect(next.get("limit")).toBe("10");
    expect(next.has("status")).toBe(false);
  });

  it("explains a device id or a date range the API would refuse, on its field", () => {
    expect(filterErrors({ ...DEFAULT_FILTERS, device: DEVICE })).toEqual({});
    expect(Object.keys(filterErrors({ ...DEFAULT_FILTERS, device: "6f1c2b3a" }))).toEqual(["device"]);
    expect(Object.keys(filterErrors({ ...DEFAULT_FILTERS, from: "yesterday" }))).toEqual(["from"]);
    expect(filterErrors({ ...DEFAULT_FILTERS, from: "2026-11-02", to: "2026-11-01" }).to).toMatch(/before/);
    expect(filterErrors({ ...DEFAULT_FILTERS, from: "2026-11-01", to: "2026-11-01" })).toEqual({});
  });
});

const config = crmConfig({ labels: { lead_status: { qualified: "Hot", lost: "Gone" } }, currency: "EUR" });
const names = { users: new Map([[USER, "Field User"]]), clients: new Map<string, string>() };

function detail(patch: Partial<ConflictDetail> = {}): ConflictDetail {
  return {
    id: "c0000000-0000-4000-8000-000000000001",
    entity: "lead",
    record_id: "r0000000-0000-4000-8000-000000000001",
    kind: "field",
    status: "open",
    fields: {},
    user_id: USER,
    client_id: DEVICE,
    mid: 3,
    base_seq: 10,
    seq: 12,
    client_time: null,
    created_at: "2026-11-21T09:00:00Z",
    resolved_at: null,
    resolved_by: null,
    resolution: {},
    user: null,
    device: null,
    pushed_at: "2026-11-21T09:00:00Z",
    edited_at: null,
    record: { title: "Acme", exists: true, version: 12, deleted_at: null },
    current: {},
    field_views: {
      notes: { base: null, server: "a", client: "b", current: "a", policy: "lww", winner: "server" },
      lead_status: {
        base: null,
        server: "qualified",
        client: "lost",
        current: "qualified",
        policy: "manual",
        winner: "server",
      },
      assigned_to: { base: null, server: USER, client: null, current: USER, policy: "manual", winner: "server" },
    },
    choices: {},
    ...patch,
  };
}

describe("comparison", () => {
  it("orders fields as the form does and shows values in the tenant's words", () => {
    const rows = fieldRows(detail());
    expect(rows.map((r) => r.name)).toEqual(["lead_status", "assigned_to", "notes"]);
    const status = field(rows, "lead_status");
    const assigned = field(rows, "assigned_to");
    expect(status?.label).toBe("Status");
    expect(showValue(status, "qualified", config, names)).toBe("Hot");
    expect(showValue(status, "lost", config, names)).toBe("Gone");
    expect(showValue(assigned, USER, config, names)).toBe("Field User");
    expect(showValue(assigned, null, config, names)).toBe("—");
  });

  it("names bookkeeping fields and shows Trash in words", () => {
    const [trash] = fieldRows(
      detail({
        kind: "delete_update",
        field_views: {
          deleted_at: {
            base: null,
            server: null,
            client: "2026-11-21T09:00:00Z",
            current: null,
            policy: "lww",
            winner: "server",
          },
        },
      }),
    );
    if (!trash) throw new Error("no row");
    expect(trash.label).toBe("Deleted at");
    expect(trash.spec).toBeNull();
    expect(showValue(trash, null, config, names)).toBe("Not in Trash");
    expect(showValue(trash, "2026-11-21T09:00:00Z", config, names)).toMatch(/^In Trash since /);
  });

  it("flags a field changed after the conflict was recorded", () => {
    const d = detail();
    const status = field(fieldRows(d), "lead_status");
    expect(changedSince(status, "open", true)).toBe(false);
    const moved = { ...status, view: { ...status.view, current: "contacted" } };
    expect(changedSince(moved, "open", true)).toBe(true);
    // Auto-resolved: the device's value is the live one.
    expect(changedSince({ ...status, view: { ...status.view, current: "lost" } }, "auto_resolved", true)).toBe(false);
    expect(changedSince(moved, "resolved", true)).toBe(false);
  });

  it("reads a listed conflict's stored sides", () => {
    const item = {
      entity: "lead",
      status: "auto_resolved",
      fields: { phone: { base: null, server: "555-0101", client: "555-0202", server_dot: null, policy: "lww" } },
    } as Pick<ConflictRead, "entity" | "fields" | "status">;
    const [row] = listRows(item);
    expect(row?.label).toBe("Phone");
    expect(row?.view).toMatchObject({ server: "555-0101", client: "555-0202", policy: "lww", winner: "client" });
  });
});

describe("resolve requests", () => {
  const rows = fieldRows(detail());

  it("a whole side when every field takes it", () => {
    expect(resolveRequest(rows, defaultPicks(rows, "open"), {})).toEqual({ choice: "server" });
    const client = Object.fromEntries(rows.map((r) => [r.name, "client" as const]));
    expect(resolveRequest(rows, client, {})).toEqual({ choice: "client" });
    // Auto-resolved: the defaults keep the device's (winning) values.
    expect(resolveRequest(rows, defaultPicks(rows, "auto_resolved"), {})).toEqual({ choice: "client" });
  });

  it("custom with every field's value when the picks differ", () => {
    const picks = { lead_status: "custom" as const, assigned_to: "client" as const, notes: "server" as const };
    expect(resolveRequest(rows, picks, { lead_status: "contacted" })).toEqual({
      choice: "custom",
      fields: { lead_status: "contacted", assigned_to: null, notes: "a" },
    });
  });

  it("restores one losing value, or the whole conflict when it has one field", () => {
    expect(restoreRequest(rows, "notes")).toEqual({ choice: "custom", fields: { notes: "a" } });
    const single = fieldRows(
      detail({
        field_views: { phone: { server: "1", client: "2", current: "2", policy: "lww", winner: "client", base: null } },
      }),
    );
    expect(restoreRequest(single, "phone")).toEqual({ choice: "server" });
    expect(() => restoreRequest(rows, "email")).toThrow();
  });

  it("typed values become API values; the Update schema checks them", () => {
    const status = field(rows, "lead_status");
    const assigned = field(rows, "assigned_to");
    const notes = field(rows, "notes");
    expect(customText("lead", status)).toBe("qualified");
    expect(typedValue(specOf(status), "contacted")).toBe("contacted");
    expect(typedValue(specOf(assigned), "")).toBeNull();
    expect(typedValue(specOf(notes), "  hello ")).toBe("hello");
    expect(validateFields("lead", { lead_status: "contacted", notes: "x" })).toEqual({});
    expect(Object.keys(validateFields("lead", { lead_status: "archived" }))).toEqual(["lead_status"]);
    expect(Object.keys(validateFields("lead", { email: "not-an-email" }))).toEqual(["email"]);
    expect(Object.keys(validateFields("lead", { no_such_field: 1 }))).toEqual(["root"]);
    expect(validateFields("widget", { anything: 1 })).toEqual({});
  });

  it("the server's words for a choice name fields by their labels", () => {
    expect(choiceText("Apply the device's values of: lead_status, assigned_to.", rows)).toBe(
      "Apply the device's values of: Status, Assigned to.",
    );
    expect(choiceText("Keep the live values.", rows)).toBe("Keep the live values.");
  });

  it("per-field values only for plain field conflicts of a record that exists", () => {
    expect(canCustomize(detail(), rows)).toBe(true);
    expect(canCustomize(detail({ kind: "delete_update" }), rows)).toBe(false);
    expect(canCustomize(detail({ status: "resolved" }), rows)).toBe(false);
    expect(
      canCustomize(detail({ record: { title: null, exists: false, version: null, deleted_at: null } }), rows),
    ).toBe(false);
  });
});

describe("bulk selection", () => {
  const items = [
    { id: "a", status: "open" as const },
    { id: "b", status: "open" as const },
    { id: "c", status: "resolved" as const },
  ];

  it("toggles one, all listed, and none", () => {
    let s = toggle(new Set(), "a");
    expect([...s]).toEqual(["a"]);
    expect(pageState(s, items)).toBe("some");
    s = toggleAll(s, items);
    expect([...s].sort()).toEqual(["a", "b"]); // a resolved conflict is never selected
    expect(pageState(s, items)).toBe("all");
    s = toggleAll(s, items);
    expect(s.size).toBe(0);
    expect(pageState(s, items)).toBe("none");
    expect([...toggle(new Set(["a"]), "a")]).toEqual([]);
  });

  it("drops what is no longer listed or no longer open", () => {
    const after = [
      { id: "a", status: "resolved" as const },
      { id: "b", status: "open" as const },
    ];
    expect([...prune(new Set(["a", "b", "z"]), after)]).toEqual(["b"]);
  });

  it("offers choices named for the listed status only", () => {
    expect(bulkActions("open").map((a) => [a.choice, a.label])).toEqual([
      ["server", "Keep server values"],
      ["client", "Take devices' values"],
    ]);
    expect(bulkActions("auto_resolved").map((a) => a.choice)).toEqual(["server", "client"]);
    expect(bulkActions("auto_resolved")[0]?.label).toMatch(/Restore/);
    expect(bulkActions("resolved")).toEqual([]);
    expect(bulkActions("")).toEqual([]);
  });

  it("reports per-id results in words", () => {
    const outcome = bulkOutcome([
      { id: "a", status: "resolved", error: null },
      {
        id: "b",
        status: "failed",
        error: { error: "This conflict is already resolved", code: "conflict", details: {} },
      },
    ]);
    expect(outcome).toEqual({ resolved: ["a"], failed: [{ id: "b", message: "This conflict is already resolved" }] });
    expect(outcomeText(outcome)).toBe("1 conflict resolved; 1 could not be resolved.");
    expect(outcomeText({ resolved: ["a", "b"], failed: [] })).toBe("2 conflicts resolved.");
  });
});

describe("labels", () => {
  it("names a device by browser and system, else by its id", () => {
    const android =
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36";
    expect(deviceLabel(android, DEVICE)).toBe("Chrome on Android · 6f1c2b3a");
    const iphone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
    expect(deviceLabel(iphone, DEVICE)).toBe("Safari on iOS · 6f1c2b3a");
    expect(deviceLabel("PathSixApp/1.0", DEVICE)).toBe("Device 6f1c2b3a");
    expect(deviceLabel(null, DEVICE)).toBe("Device 6f1c2b3a");
  });

  it("says what a resolution did", () => {
    expect(resolutionText({ choice: "custom", action: "update" })).toBe(
      "Resolved with values chosen field by field: the chosen values were applied.",
    );
    expect(resolutionText({ choice: "server", action: "restore_loser" })).toMatch(/losing value was restored/);
  });
});
