// The overview screens' API module against the real server: a filtered, sorted page with its
// total; a bulk action whose ids partly fail, each with its reason; the remembered view's round
// trip through the preferences; an edit that meets a newer version (412 with the server's values);
// and the CSV export of the filtered list. Records are tagged per run: the tenant is shared.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { ApiClient, HttpError } from "../src/api/http";
import { LeadRead, Preferences } from "../src/contracts/zod";
import {
  exportFile,
  fetchPage,
  loadPreferences,
  runBulk,
  StaleRecord,
  saveView,
  updateRecord,
} from "../src/screens/admin/overviews/api";
import { OVERVIEWS } from "../src/screens/admin/overviews/entities";
import { NO_FILTERS, viewFromPrefs } from "../src/screens/admin/overviews/query";
import { uuid } from "../src/store/uuid";
import { login, server } from "./helpers";

const hasServer = inject("server") !== null;
const leads = OVERVIEWS.lead;
const VIEW = { pageSize: 10, sort: "name", columns: ["name", "lead_status"] };

async function as(who: { email: string; password: string }): Promise<ApiClient> {
  const { access_token } = await login(who);
  return new ApiClient({ baseUrl: server().url, getToken: () => access_token });
}

interface Lead {
  id: string;
  name: string;
  version: number;
}

const create = (api: ApiClient, body: Record<string, unknown>): Promise<Lead> =>
  api.request("POST", "/api/v1/leads", body, LeadRead);

describe.runIf(hasServer)("admin overview API module", () => {
  let admin: ApiClient;
  let user: ApiClient;
  const tag = `ovw${Date.now().toString(36)}`;
  let mine: Lead[];
  let theirs: Lead;

  beforeAll(async () => {
    admin = await as(server().admin);
    user = await as(server().user);
    mine = [];
    for (const [i, status] of ["new", "qualified", "new"].entries()) {
      mine.push(await create(admin, { name: `${tag} ${"CBA"[i]}`, lead_status: status }));
    }
    theirs = await create(user, { name: `${tag} D`, lead_status: "new" });
  });

  it("lists the whole tenant, filtered and sorted, with the total", async () => {
    const filters = { ...NO_FILTERS, q: tag };
    const page = await fetchPage(admin, leads, filters, { ...VIEW, pageSize: 2 }, 0);
    expect(page.total).toBe(4);
    expect(page.items.map((r) => r.name)).toEqual([`${tag} A`, `${tag} B`]);
    const second = await fetchPage(admin, leads, filters, { ...VIEW, pageSize: 2 }, 1);
    expect(second.items.map((r) => r.name)).toEqual([`${tag} C`, `${tag} D`]);
    // the user's lead is in the admin's overview though the admin cannot see it on /leads
    const byUser = await fetchPage(admin, leads, { ...filters, user_id: server().user.id }, VIEW, 0);
    expect(byUser.items.map((r) => r.id)).toEqual([theirs.id]);
    const qualified = await fetchPage(admin, leads, { ...filters, status: "qualified" }, VIEW, 0);
    expect(qualified.items.map((r) => r.name)).toEqual([`${tag} B`]);
  });

  it("runs a bulk assign and reports each id, failures with the server's reason", async () => {
    const missing = uuid();
    // one lead purged after the admin's page was read: it fails, the others go through
    const [purged, ...kept] = mine as [Lead, ...Lead[]];
    await admin.request("DELETE", `/api/v1/leads/${purged.id}`, undefined, LeadRead);
    await admin.request("DELETE", `/api/v1/trash/lead/${purged.id}`, undefined, z.unknown());
    const ids = [...kept.map((l) => l.id), theirs.id, purged.id, missing];
    const results = await runBulk(admin, leads, "assign", ids, server().user.id);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ...[...kept, theirs].map((l) => [l.id, "ok"]),
      [purged.id, "failed"],
      [missing, "failed"],
    ]);
    for (const failed of results.slice(-2)) expect(failed.error?.code).toBe("not_found");
    const assigned = await fetchPage(admin, leads, { ...NO_FILTERS, q: tag, user_id: server().user.id }, VIEW, 0);
    expect(assigned.items.map((r) => r.name)).toEqual([`${tag} A`, `${tag} B`, `${tag} D`]);
    expect(assigned.items.every((r) => r.assigned_to === server().user.id)).toBe(true);
  });

  it("refuses a bulk status outside the closed list as a whole (422)", async () => {
    const err = await runBulk(admin, leads, "status", [theirs.id], "archived").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(422);
  });

  it("remembers the overview's view and leaves the other views alone", async () => {
    await admin.request(
      "PUT",
      "/api/v1/preferences",
      { page_size: 25, views: { leads: { sort: "name" } } },
      Preferences,
    );
    const saved = await saveView(admin, leads, VIEW);
    expect(saved.views?.leads).toEqual({ sort: "name" });
    const loaded = await loadPreferences(admin);
    expect(viewFromPrefs(leads, loaded)).toEqual(VIEW);
    expect(loaded.views?.leads).toEqual({ sort: "name" });
    // another user's preferences are their own
    expect(viewFromPrefs(leads, await loadPreferences(user)).pageSize).toBe(25);
  });

  it("edits with If-Match; a stale version gets the server's current values", async () => {
    const lead = await create(admin, { name: `${tag} E`, city: "Austin" });
    const moved = await updateRecord(admin, leads, lead.id, lead.version, { city: "Boston" });
    expect(moved.city).toBe("Boston");
    const err = await updateRecord(admin, leads, lead.id, lead.version, { lead_status: "lost" }).catch((e) => e);
    expect(err).toBeInstanceOf(StaleRecord);
    expect((err as StaleRecord).current).toMatchObject({ id: lead.id, city: "Boston", version: moved.version });
    const reapplied = await updateRecord(admin, leads, lead.id, (err as StaleRecord).current.version, {
      lead_status: "lost",
    });
    expect(reapplied).toMatchObject({ city: "Boston", lead_status: "lost" });
  });

  it("edits a record the admin neither created nor is assigned to", async () => {
    const theirs = await create(user, { name: `Outsider ${Date.now()}` });
    const edited = await updateRecord(admin, leads, theirs.id, theirs.version, { city: "Denver" });
    expect(edited).toMatchObject({ id: theirs.id, city: "Denver" });
    expect(edited.version).toBeGreaterThan(theirs.version);
  });

  it("exports the filtered list as CSV", async () => {
    const { blob, filename } = await exportFile(admin, leads, { ...NO_FILTERS, q: tag }, "name", "csv");
    expect(filename).toMatch(/^leads-.*\.csv$/);
    const lines = (await blob.text())
      .replace(/^\ufeff/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toContain('"name"');
    // the purged lead is not in the list; the others are, in name order
    expect(lines.slice(1).map((l) => /"(ovw[^"]+)"/.exec(l)?.[1])).toEqual([
      `${tag} A`,
      `${tag} B`,
      `${tag} D`,
      `${tag} E`,
    ]);
  });
});
