// Admin overviews: the per-entity descriptions against the generated contract, the query each
// page and export sends, offset pages, sort, remembered views, selection, bulk results and the
// stale-edit comparison. Pure logic; the server-facing half is admin-overviews.server.test.ts.
import { describe, expect, it } from "vitest";
import { ApiClient, NetworkError } from "../src/api/http";
import {
  AdminAccountsQuery,
  AdminClientsQuery,
  AdminLeadsExportQuery,
  AdminLeadsQuery,
  AdminProjectsQuery,
  Preferences,
} from "../src/contracts/zod";
import { fieldsOf } from "../src/records/fields";
import { runBulk } from "../src/screens/admin/overviews/api";
import { staleFields } from "../src/screens/admin/overviews/edit";
import { OVERVIEW_ENTITIES, OVERVIEWS } from "../src/screens/admin/overviews/entities";
import {
  ariaSort,
  bulkOutcome,
  chunks,
  exportSearch,
  hasFilters,
  listSearch,
  NO_FILTERS,
  nextSort,
  pageRange,
  pageSelection,
  prefsWithView,
  rangeProblem,
  select,
  toggleColumn,
  viewFromPrefs,
} from "../src/screens/admin/overviews/query";

const QUERIES = {
  lead: AdminLeadsQuery,
  client: AdminClientsQuery,
  project: AdminProjectsQuery,
  account: AdminAccountsQuery,
} as const;

const leads = OVERVIEWS.lead;
const USER = "3f2b8c1e-6a4d-4e9b-9f1a-2c3d4e5f6a7b";

/** A query string as the generated query schema would read it (numbers and booleans typed). */
function asQuery(search: string): Record<string, unknown> {
  return Object.fromEntries(
    [...new URLSearchParams(search)].map(([k, v]) => [
      k,
      k === "limit" || k === "offset" ? Number(v) : k === "count" ? v === "true" : v,
    ]),
  );
}

describe("overview descriptions", () => {
  it.each(OVERVIEW_ENTITIES)("%s: columns are the server's sortable shown columns, each with a label", (entity) => {
    const spec = OVERVIEWS[entity];
    const sorts = QUERIES[entity].shape.sort.unwrap().options.filter((s) => !s.startsWith("-"));
    expect(spec.columns.map((c) => c.name).sort()).toEqual([...sorts].sort());
    for (const c of spec.columns) expect(c.spec.label, c.name).not.toBe(c.name);
    const names = new Set(spec.columns.map((c) => c.name));
    for (const name of [...spec.defaultColumns, spec.title, spec.status.field, spec.defaultSort.replace(/^-/, "")]) {
      expect(names.has(name), name).toBe(true);
    }
    const editable = new Set(fieldsOf(entity).map((f) => f.name));
    for (const name of spec.editable) expect(editable.has(name), name).toBe(true);
  });

  it("offers bulk assign only where records have an assignee", () => {
    expect(OVERVIEW_ENTITIES.filter((e) => OVERVIEWS[e].assignable)).toEqual(["lead", "client", "project"]);
    expect(OVERVIEWS.account.columns.some((c) => c.name === "assigned_to")).toBe(false);
  });
});

describe("what a page and an export ask for", () => {
  const filters = { ...NO_FILTERS, q: "  acme ", status: "qualified", user_id: USER, created_from: "2026-01-01" };
  const view = { pageSize: 50, sort: "-name", columns: ["name"] };

  it("sends set filters, sort, offset and count, and the server's schema accepts it", () => {
    const search = listSearch(filters, view, 2);
    expect(asQuery(search)).toEqual({
      q: "acme",
      status: "qualified",
      user_id: USER,
      created_from: "2026-01-01",
      sort: "-name",
      limit: 50,
      offset: 100,
      count: true,
    });
    expect(AdminLeadsQuery.safeParse(asQuery(search)).success).toBe(true);
  });

  it("exports the same filtered list without paging", () => {
    const search = exportSearch(filters, "-name", "xlsx");
    const params = asQuery(search);
    expect(params).toMatchObject({ q: "acme", status: "qualified", sort: "-name", format: "xlsx" });
    for (const paging of ["limit", "offset", "count", "cursor"]) expect(params).not.toHaveProperty(paging);
    expect(AdminLeadsExportQuery.safeParse(params).success).toBe(true);
  });

  it("counts only filters with a value", () => {
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, q: "   " })).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, updated_to: "2026-02-01" })).toBe(true);
  });

  it("flags a date range that ends before it starts", () => {
    expect(rangeProblem("2026-03-01", "2026-02-01")).toMatch(/after/);
    expect(rangeProblem("2026-02-01", "2026-02-01")).toBeNull();
    expect(rangeProblem("", "2026-02-01")).toBeNull();
  });
});

describe("pages and sort", () => {
  it("says which rows of how many are shown", () => {
    expect(pageRange(0, 25, 25, 1234)).toBe("1–25 of 1,234");
    expect(pageRange(49, 25, 9, 1234)).toBe("1,226–1,234 of 1,234");
    expect(pageRange(0, 25, 0, 0)).toBe("No records");
  });

  it("sorts ascending on a first click and flips on the next; aria-sort follows", () => {
    expect(nextSort("-created_at", "name")).toBe("name");
    expect(nextSort("name", "name")).toBe("-name");
    expect(nextSort("-name", "name")).toBe("name");
    expect(ariaSort("-name", "name")).toBe("descending");
    expect(ariaSort("name", "name")).toBe("ascending");
    expect(ariaSort("name", "city")).toBeUndefined();
  });
});

describe("the remembered view", () => {
  it("uses the view's own page size, else the preferences' one, and drops unknown columns", () => {
    const prefs: Preferences = { page_size: 50, views: { admin_leads: { sort: "name", columns: ["city"] } } };
    expect(viewFromPrefs(leads, prefs)).toEqual({ pageSize: 50, sort: "name", columns: ["city"] });
    const stale = { views: { admin_leads: { page_size: 10, columns: ["gone"], sort: "-gone" } } } as never;
    expect(viewFromPrefs(leads, stale)).toEqual({ pageSize: 10, sort: "-created_at", columns: leads.defaultColumns });
    expect(viewFromPrefs(leads, {})).toEqual({ pageSize: 25, sort: "-created_at", columns: leads.defaultColumns });
  });

  it("replaces only its own view, in the shape the server accepts", () => {
    const prefs: Preferences = { page_size: 25, views: { leads: { sort: "name" }, admin_clients: { page_size: 100 } } };
    const next = prefsWithView(leads, prefs, { pageSize: 10, sort: "-city", columns: ["name", "city"] });
    expect(Preferences.parse(next)).toEqual({
      page_size: 25,
      views: {
        leads: { sort: "name" },
        admin_clients: { page_size: 100 },
        admin_leads: { page_size: 10, sort: "-city", columns: ["name", "city"] },
      },
    });
  });

  it("keeps columns in the overview's order and never hides the last one", () => {
    expect(toggleColumn(leads, ["city", "name"], "lead_status", true)).toEqual(["city", "name", "lead_status"]);
    expect(toggleColumn(leads, ["name"], "name", false)).toEqual(["name"]);
    const order = leads.columns.map((c) => c.name);
    const shown = toggleColumn(leads, ["name"], "id", true);
    expect(order.indexOf(shown[0] as string)).toBeLessThan(order.indexOf(shown[1] as string));
  });
});

describe("selection and bulk results", () => {
  const page = [
    { id: "a", title: "Alpha" },
    { id: "b", title: "Bravo" },
  ];

  it("selects a whole page and reports all, some or none", () => {
    const all = select(new Map(), page, true);
    expect(pageSelection(all, ["a", "b"])).toBe("all");
    const some = select(all, [{ id: "a", title: "Alpha" }], false);
    expect(pageSelection(some, ["a", "b"])).toBe("some");
    expect(pageSelection(select(some, page, false), ["a", "b"])).toBe("none");
  });

  it("names each failed record with the server's reason", () => {
    const outcome = bulkOutcome(
      [
        { id: "a", status: "ok" },
        { id: "b", status: "failed", error: { error: "lead not found", code: "not_found", details: {} } },
      ],
      select(new Map(), page, true),
    );
    expect(outcome).toEqual({ ok: ["a"], failed: [{ id: "b", title: "Bravo", message: "lead not found" }] });
  });

  it("splits ids into calls of at most 500", () => {
    expect(chunks(Array.from({ length: 1001 }, (_, i) => i)).map((c) => c.length)).toEqual([500, 500, 1]);
  });
});

describe("runBulk over several calls", () => {
  const ids = Array.from({ length: 501 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
  // The HTTP layer below the API client: the first call answers, later ones find no network.
  function client(failFirst: boolean): { api: ApiClient; calls: number[] } {
    const calls: number[] = [];
    const fetchStub = async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { ids: string[] };
      calls.push(body.ids.length);
      if (failFirst || calls.length > 1) throw new TypeError("Failed to fetch");
      const results = body.ids.map((id) => ({ id, status: "ok" }));
      return new Response(JSON.stringify({ results }), { status: 200 });
    };
    return { api: new ApiClient({ baseUrl: "", getToken: () => "t", fetch: fetchStub as typeof fetch }), calls };
  }

  it("marks the ids of a call that failed after others went through as failed, with the reason", async () => {
    const { api, calls } = client(false);
    const results = await runBulk(api, leads, "assign", ids, USER);
    expect(calls).toEqual([500, 1]);
    expect(results.filter((r) => r.status === "ok")).toHaveLength(500);
    expect(results.at(-1)).toMatchObject({ id: ids[500], status: "failed", error: { code: "not_sent" } });
    expect(results.at(-1)?.error?.error).toMatch(/No connection/);
  });

  it("throws when nothing went through", async () => {
    await expect(runBulk(client(true).api, leads, "delete", ids)).rejects.toBeInstanceOf(NetworkError);
  });
});

describe("a stale edit", () => {
  const specs = fieldsOf("lead", ["name", "city", "lead_status"]);

  it("shows the fields the admin changed and those changed on the server meanwhile", () => {
    const original = { name: "Acme", city: "Austin", lead_status: "new" };
    const current = { name: "Acme", city: "Boston", lead_status: "new" };
    const rows = staleFields(specs, original, current, { lead_status: "qualified" });
    expect(rows.map((r) => [r.spec.name, r.server, r.yours, r.changedByYou, r.changedOnServer])).toEqual([
      ["city", "Boston", "Boston", false, true],
      ["lead_status", "new", "qualified", true, false],
    ]);
  });
});
