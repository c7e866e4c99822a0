// The admin settings' logic without a screen: the config form (to and from the contract, checked
// with the generated schema, errors on the fields they name), the lists the form offers held to
// the contract, roles, the users query, per-record results and the admin Trash's state.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ApiClient, HttpError, NetworkError } from "../src/api/http";
import { RELABELLED } from "../src/config/tenantConfig";
import type { TenantConfig, UserAdminList, UserAdminRead } from "../src/contracts/zod";
import {
  checkForm,
  contrastWithWhite,
  FEATURES,
  FORM_FIELDS,
  fromForm,
  isDirty,
  LABEL_MAX,
  listTitle,
  toForm,
} from "../src/screens/admin/settings/config/configForm";
import { fieldErrors, fieldFor } from "../src/screens/admin/settings/shared/errors";
import { type Outcome, outcomeOf, outcomeSummary } from "../src/screens/admin/settings/shared/outcomes";
import {
  appendPage,
  moreToLoad,
  selectedItems,
  selectionOf,
  setSelected,
  shownItems,
  type TrashPages,
  totalOf,
  withoutDone,
} from "../src/screens/admin/settings/trash/adminTrash";
import { BATCH, purgeItems, type TrashItem } from "../src/screens/admin/settings/trash/trashApi";
import { ROLES, roleLabel, sameRoles, withRole } from "../src/screens/admin/settings/users/roles";
import { replaceUser, usersQuery } from "../src/screens/admin/settings/users/usersApi";
import { errorText } from "../src/screens/admin/shared/messages";

const contracts = resolve(__dirname, "../../contracts");
const json = (name: string) => JSON.parse(readFileSync(resolve(contracts, name), "utf8"));

const FULL: TenantConfig = {
  branding: { name: "Acme Field Services", logo_url: "https://cdn.example.com/acme.png", primary_color: "#1a2b3c" },
  labels: { lead_status: { new: "Fresh", qualified: "Hot" }, followup_status: { rescheduled: "Moved" } },
  lead_sources: ["Referral", "Trade show"],
  business_types: ["Restaurant"],
  currency: "EUR",
  date_format: "DD.MM.YYYY",
  features: { calendar: false },
  nouns: { client: { singular: "Customer", plural: "Customers" } },
};

const noun = (entity: string, plural = false) => `${entity[0]?.toUpperCase()}${entity.slice(1)}${plural ? "s" : ""}`;
const http422 = (fields: Record<string, string[]>) =>
  new HttpError(422, { error: "Invalid input", code: "validation_error", details: { fields } });

describe("the configuration form", () => {
  it("round-trips a full config, every feature explicit, blank labels left out", () => {
    const form = toForm(FULL);
    expect(form.labels.lead_status).toEqual({ new: "Fresh", contacted: "", qualified: "Hot", lost: "", converted: "" });
    expect(form.lead_sources).toBe("Referral\nTrade show");
    expect(form.features.calendar).toBe(false);
    expect(form.features.projects).toBe(true);
    const body = fromForm(form);
    expect(body.labels).toEqual({
      lead_status: { new: "Fresh", qualified: "Hot" },
      client_status: {},
      project_status: {},
      account_status: {},
      subscription_status: {},
      followup_status: { rescheduled: "Moved" },
    });
    expect(body.features).toEqual(Object.fromEntries(FEATURES.map((f) => [f, f !== "calendar"])));
    expect(body.branding).toEqual(FULL.branding);
    expect(form.nouns.client).toEqual({ singular: "Customer", plural: "Customers" });
    expect(form.nouns.lead).toEqual({ singular: "", plural: "" });
    expect(body.nouns).toEqual(FULL.nouns);
    expect(checkForm(form)).toEqual({ ok: true, body });
  });

  it("trims, drops blank lines and blank labels, lower-cases the colour, nulls empty branding", () => {
    const form = toForm({});
    form.name = "  ";
    form.primary_color = " #ABCDEF ";
    form.lead_sources = " Referral \n\n  Website\n";
    form.labels = { ...form.labels, client_status: { ...form.labels.client_status, active: "  Live " } };
    const body = fromForm(form);
    expect(body.branding).toEqual({ name: null, logo_url: null, primary_color: "#abcdef" });
    expect(body.lead_sources).toEqual(["Referral", "Website"]);
    expect(body.labels?.client_status).toEqual({ active: "Live" });
  });

  it("is dirty only when it would save something else", () => {
    const form = toForm(FULL);
    expect(isDirty(form, FULL)).toBe(false);
    expect(isDirty({ ...form, lead_sources: "Referral\n Trade show \n" }, FULL)).toBe(false);
    expect(isDirty({ ...form, currency: "GBP" }, FULL)).toBe(true);
    expect(isDirty(toForm({}), { features: {} })).toBe(false);
  });

  it("puts the generated schema's complaints on the fields they concern", () => {
    const form = toForm(FULL);
    form.primary_color = "teal";
    form.logo_url = "http://insecure.example.com/logo.png";
    form.business_types = `Fine\n${"x".repeat(121)}`;
    const checked = checkForm(form);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors).sort()).toEqual([
      "branding.logo_url",
      "branding.primary_color",
      "business_types",
    ]);
  });

  it("has one field per value of every closed list it relabels, and nothing else to add", () => {
    const labelFields = FORM_FIELDS.filter((f) => f.startsWith("labels."));
    const statusLabels = json("tenant_config.json").$defs.StatusLabels.properties;
    const expected = RELABELLED.flatMap((list) =>
      (statusLabels[list].propertyNames.enum as string[]).map((v) => `labels.${list}.${v}`),
    );
    expect(labelFields).toEqual(expected);
    expect(Object.keys(statusLabels).sort()).toEqual([...RELABELLED].sort());
    expect(statusLabels.lead_status.additionalProperties.maxLength).toBe(LABEL_MAX);
  });

  it("offers exactly the contract's feature toggles", () => {
    const features = json("tenant_config.json").$defs.TenantConfig.properties.features.propertyNames.enum;
    expect([...FEATURES]).toEqual(features);
  });

  it("titles lists with the tenant's nouns", () => {
    expect(listTitle("lead_status", () => "Prospect")).toBe("Prospect statuses");
    expect(listTitle("followup_status", noun)).toBe("Follow-up statuses");
    expect(listTitle("subscription_status", noun)).toBe("Subscription statuses");
  });

  it("measures white text's contrast on the brand colour", () => {
    expect(contrastWithWhite("#ffffff")).toBeCloseTo(1, 5);
    expect(contrastWithWhite("#000000")).toBeCloseTo(21, 5);
    expect(contrastWithWhite("#0f766e")).toBeGreaterThan(4.5);
    expect(contrastWithWhite("#fde047")).toBeLessThan(2);
    expect(contrastWithWhite("yellow")).toBeNull();
  });
});

describe("server errors in words and on fields", () => {
  const names = ["email", "roles", "lead_sources", "labels.lead_status.new"];

  it("maps each 422 field to the form field or its prefix, the rest to root with its key", () => {
    const err = http422({
      email: ["taken"],
      "roles.0": ["Input should be 'admin', 'user' or 'file_uploads'"],
      "lead_sources.2": ["must not repeat a value"],
      "labels.lead_status.new": ["String should have at least 1 character"],
      "labels.lead_status.won.[key]": ["Input should be 'new', 'contacted'"],
      "labels.deal_status": ["Extra inputs are not permitted"],
    });
    expect(fieldErrors(err, names)).toEqual({
      email: "taken",
      roles: "Input should be 'admin', 'user' or 'file_uploads'",
      lead_sources: "must not repeat a value",
      "labels.lead_status.new": "String should have at least 1 character",
      root: "labels.lead_status.won.[key]: Input should be 'new', 'contacted' labels.deal_status: Extra inputs are not permitted",
    });
    expect(fieldFor("labels.lead_status", names)).toBe("root");
  });

  it("puts anything else at the root, in words", () => {
    const conflict = new HttpError(409, {
      error: "The tenant needs at least one active admin",
      code: "conflict",
      details: { reason: "last_admin" },
    });
    expect(fieldErrors(conflict, names)).toEqual({ root: "The tenant needs at least one active admin" });
    const taken = new HttpError(409, {
      error: "A user with this email already exists",
      code: "conflict",
      details: { fields: { email: ["taken"] } },
    });
    expect(fieldErrors(taken, names)).toEqual({ email: "A user with this email already exists" });
    expect(fieldErrors(new NetworkError("fetch failed"), names).root).toMatch(/^No connection/);
    expect(errorText(new HttpError(403, { error: "forbidden", code: "forbidden", details: {} }))).toBe(
      "This needs the admin role.",
    );
  });
});

describe("users and roles", () => {
  it("offers the contract's roles, in its order", () => {
    expect([...ROLES]).toEqual(json("openapi.json").components.schemas.UserCreate.properties.roles.items.enum);
    expect(withRole(["user"], "admin", true)).toEqual(["admin", "user"]);
    expect(withRole(["admin", "user"], "admin", false)).toEqual(["user"]);
    expect(withRole(["user", "legacy"], "file_uploads", true)).toEqual(["user", "file_uploads", "legacy"]);
    expect(sameRoles(["user", "admin"], ["admin", "user"])).toBe(true);
    expect(sameRoles(["user"], ["admin", "user"])).toBe(false);
    expect(roleLabel("file_uploads")).toBe("File uploads");
    expect(roleLabel("auditor")).toBe("Auditor");
  });

  it("builds the users query from the filter", () => {
    const q = (s: string) => Object.fromEntries(new URLSearchParams(s));
    expect(q(usersQuery({ q: "", state: "all" }, null))).toEqual({ limit: "50", count: "true" });
    expect(q(usersQuery({ q: " ann ", state: "inactive" }, "abc", 100))).toEqual({
      limit: "100",
      count: "true",
      q: "ann",
      active: "false",
      cursor: "abc",
    });
    expect(() => usersQuery({ q: "x".repeat(201), state: "all" }, null)).toThrow();
  });

  it("replaces one user in a loaded page", () => {
    const user = (id: string, active: boolean): UserAdminRead => ({
      id,
      email: `${id}@example.com`,
      name: id,
      roles: ["user"],
      is_active: active,
      created_at: "2026-01-01T00:00:00Z",
      last_sync_at: null,
      devices: 0,
    });
    const page: UserAdminList = { items: [user("a", true), user("b", true)], next_cursor: null, limit: 50, total: 2 };
    expect(replaceUser(page, user("b", false))?.items.map((u) => u.is_active)).toEqual([true, false]);
    expect(replaceUser(undefined, user("b", false))).toBeUndefined();
  });
});

describe("per-record results", () => {
  it("sums up by entity and counts failures", () => {
    const outcomes: Outcome[] = [
      outcomeOf({ entity: "lead", id: "1", status: "purged" }),
      outcomeOf({ entity: "lead", id: "2", status: "ok" }),
      outcomeOf({ entity: "client", id: "3", status: "ok" }),
      outcomeOf({
        entity: "project",
        id: "4",
        status: "failed",
        error: { error: "project in Trash not found", code: "not_found", details: {} },
      }),
    ];
    expect(outcomes[3]).toMatchObject({ ok: false, error: "project in Trash not found" });
    expect(outcomeSummary(outcomes, "Restored", noun)).toBe("Restored 2 leads and 1 client. 1 failed.");
    expect(outcomeSummary(outcomes.slice(3), "Deleted", noun)).toBe("Deleted nothing. 1 failed.");
  });
});

describe("admin Trash state", () => {
  const item = (entity: TrashItem["entity"], id: string, day: number): TrashItem => ({
    entity,
    id,
    name: `${entity} ${id}`,
    deleted_at: `2026-03-${String(day).padStart(2, "0")}T10:00:00Z`,
    owner: null,
  });
  const pages: TrashPages = {
    lead: { items: [item("lead", "l1", 9), item("lead", "l2", 3)], next_cursor: "more", total: 5 },
    client: { items: [item("client", "c1", 7)], next_cursor: null, total: 1 },
    project: { items: [], next_cursor: null, total: 0 },
  };

  it("shows the filter's records newest trashed first, with totals and what is left to load", () => {
    expect(shownItems(pages, "all").map((i) => i.id)).toEqual(["l1", "c1", "l2"]);
    expect(shownItems(pages, "client").map((i) => i.id)).toEqual(["c1"]);
    expect(totalOf(pages, "all")).toBe(6);
    expect(moreToLoad(pages, "all")).toEqual(["lead"]);
    expect(moreToLoad(pages, "client")).toEqual([]);
    const more = appendPage(pages, "lead", {
      items: [item("lead", "l2", 3), item("lead", "l3", 1)],
      next_cursor: null,
      total: 5,
    });
    expect(more.lead?.items.map((i) => i.id)).toEqual(["l1", "l2", "l3"]);
    expect(more.lead?.next_cursor).toBeNull();
  });

  it("drops what an action dealt with and keeps what failed", () => {
    const after = withoutDone(pages, [
      { entity: "lead", id: "l1", ok: true, error: null },
      { entity: "client", id: "c1", ok: false, error: "gone" },
    ]);
    expect(after.lead?.items.map((i) => i.id)).toEqual(["l2"]);
    expect(after.lead?.total).toBe(4);
    expect(after.client?.items.map((i) => i.id)).toEqual(["c1"]);
    expect(after.client?.total).toBe(1);
  });

  it("selects within what is shown", () => {
    const keys = ["lead:l1", "lead:l2"];
    let selected = setSelected(new Set(), ["client:c1"], true);
    expect(selectionOf(selected, keys)).toBe("none");
    selected = setSelected(selected, ["lead:l1"], true);
    expect(selectionOf(selected, keys)).toBe("some");
    selected = setSelected(selected, keys, true);
    expect(selectionOf(selected, keys)).toBe("all");
    expect(selectedItems(shownItems(pages, "lead"), selected).map((i) => i.id)).toEqual(["l1", "l2"]);
    selected = setSelected(selected, keys, false);
    expect([...selected]).toEqual(["client:c1"]);
  });
});

describe("bulk purge in batches", () => {
  it("sends at most 500 per call and keeps each batch's results when a later one fails", async () => {
    const items: TrashItem[] = Array.from({ length: BATCH + 1 }, (_, n) => ({
      entity: "lead",
      id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
      name: `Lead ${n}`,
      deleted_at: "2026-03-01T00:00:00Z",
      owner: null,
    }));
    const sizes: number[] = [];
    // The transport only: the first call answers as the server does, the second never arrives.
    const fetch = async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { items: { entity: string; id: string }[] };
      sizes.push(body.items.length);
      if (sizes.length > 1) throw new TypeError("network down");
      const results = body.items.map((i) => ({ ...i, status: "purged" }));
      return new Response(JSON.stringify({ results }), { status: 200 });
    };
    const api = new ApiClient({
      baseUrl: "http://server",
      getToken: () => "t",
      fetch: fetch as typeof globalThis.fetch,
    });
    const outcomes = await purgeItems(api, items);
    expect(sizes).toEqual([BATCH, 1]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(BATCH);
    expect(outcomes[BATCH]).toMatchObject({ ok: false, name: `Lead ${BATCH}` });
    expect(outcomes[BATCH]?.error).toMatch(/^No connection/);
    expect(outcomes[0]?.name).toBe("Lead 0");
  });
});
