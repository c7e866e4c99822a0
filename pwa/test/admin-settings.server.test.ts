// The admin settings' API modules against a real `pathsix serve`: users (create, roles,
// deactivation cutting off the token and the device, reactivation, reassignment with a result
// per record), the tenant configuration (saved from the form, reaching a device by sync, an
// unknown status refused 422), and Trash (restore, bulk purge with per-record results).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { ApiClient, HttpError } from "../src/api/http";
import { LeadRead } from "../src/contracts/zod";
import { loadConfig, saveConfig } from "../src/screens/admin/settings/config/configApi";
import { checkForm, FORM_FIELDS, toForm } from "../src/screens/admin/settings/config/configForm";
import { fieldErrors } from "../src/screens/admin/settings/shared/errors";
import { outcomeOf, outcomeSummary } from "../src/screens/admin/settings/shared/outcomes";
import { purgeItems, restoreItems, trashPage } from "../src/screens/admin/settings/trash/trashApi";
import { withRole } from "../src/screens/admin/settings/users/roles";
import {
  activeUsers,
  createUser,
  listUsers,
  reassignRecords,
  setActive,
  setRoles,
} from "../src/screens/admin/settings/users/usersApi";
import { errorText } from "../src/screens/admin/shared/messages";
import { uuid } from "../src/store/uuid";
import { device, login, server } from "./helpers";

const hasServer = inject("server") !== null;
const PASSWORD = "Settings-Test-42";
const noun = (entity: string, plural = false) => `${entity[0]?.toUpperCase()}${entity.slice(1)}${plural ? "s" : ""}`;

const clientFor = (token: string) => new ApiClient({ baseUrl: server().url, getToken: () => token });
const signedIn = async (who: { email: string; password: string }) => clientFor((await login(who)).access_token);
const newEmail = (prefix: string) => `${prefix}-${uuid().slice(0, 8)}@example.com`;

/** The HttpError a call fails with (the test fails if it succeeds or fails otherwise). */
async function failure(call: Promise<unknown>): Promise<HttpError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

describe.runIf(hasServer)("admin settings against the real server", () => {
  let admin: ApiClient;
  beforeAll(async () => {
    admin = await signedIn(server().admin);
  });

  /** A user of our own (never the harness's two, which other test files use). */
  async function makeUser(prefix: string, roles = ["user"]) {
    const email = newEmail(prefix);
    const user = await createUser(admin, {
      email,
      name: `${prefix} person`,
      password: PASSWORD,
      roles: roles as never,
    });
    return { ...user, password: PASSWORD };
  }

  it("creates a user who can sign in, gives a role, and deactivation cuts off token and device", async () => {
    const sam = await makeUser("sam");
    expect(sam).toMatchObject({ invited: false, is_active: true, roles: ["user"], devices: 0 });
    const theirs = await signedIn(sam);
    const phone = await device(sam);
    await phone.client.pull();
    expect(await theirs.request("GET", "/api/v1/auth/me", undefined, z.object({ id: z.string() }))).toMatchObject({
      id: sam.id,
    });

    const promoted = await setRoles(admin, sam.id, withRole(sam.roles, "file_uploads", true));
    expect(promoted.roles).toEqual(["file_uploads", "user"]);
    const found = await listUsers(admin, { q: sam.email, state: "all" });
    expect(found.items.map((u) => [u.id, u.devices, u.last_sync_at !== null])).toEqual([[sam.id, 1, true]]);

    const off = await setActive(admin, sam.id, false);
    expect(off.is_active).toBe(false);
    expect((await failure(theirs.request("GET", "/api/v1/auth/me", undefined, z.unknown()))).status).toBe(401);
    expect((await failure(phone.client.pull())).status).toBe(401);
    expect((await failure(login(sam))).status).toBe(403);
    expect((await listUsers(admin, { q: sam.email, state: "inactive" })).items.map((u) => u.id)).toEqual([sam.id]);
    expect((await listUsers(admin, { q: sam.email, state: "active" })).items).toEqual([]);
    expect((await activeUsers(admin)).map((u) => u.id)).not.toContain(sam.id);

    expect((await setActive(admin, sam.id, true)).is_active).toBe(true);
    await phone.client.pull();
    expect((await login(sam)).user.id).toBe(sam.id);
  });

  it("invites a user without a password, and refuses bad input on the fields the form has", async () => {
    const invited = await createUser(admin, { email: newEmail("invitee"), roles: ["user"] });
    expect(invited.invited).toBe(true);
    const names = ["email", "name", "password", "roles"];
    const taken = await failure(createUser(admin, { email: invited.email, password: PASSWORD }));
    expect(taken.status).toBe(409);
    expect(fieldErrors(taken, names)).toEqual({ email: "A user with this email already exists" });
    const badRole = await failure(createUser(admin, { email: newEmail("x"), roles: ["root" as never] }));
    expect(Object.keys(fieldErrors(badRole, names))).toEqual(["roles"]);
    const short = await failure(createUser(admin, { email: newEmail("x"), password: "short" }));
    expect(Object.keys(fieldErrors(short, names))).toEqual(["password"]);
    const me = server().admin.id;
    const self = await failure(setActive(admin, me, false));
    expect(self.status).toBe(409);
    expect(errorText(self)).toBe("You cannot deactivate yourself");
  });

  it("hands a leaving user's records to another user, with a result per record", async () => {
    const leaver = await makeUser("leaver");
    const heir = await makeUser("heir");
    const theirs = await signedIn(leaver);
    const make = (path: string, name: string) =>
      theirs.request("POST", `/api/v1/${path}`, { name }, z.object({ id: z.string() }));
    const [kept, trashed] = [await make("leads", "Leaver lead"), await make("leads", "Leaver trashed lead")];
    await make("clients", "Leaver client");
    await theirs.request("DELETE", `/api/v1/leads/${trashed.id}`, undefined, z.unknown());
    await setActive(admin, leaver.id, false);

    const response = await reassignRecords(admin, leaver.id, heir.id);
    const outcomes = response.results.map((r) => outcomeOf(r));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(outcomeSummary(outcomes, "Moved", noun)).toBe("Moved 2 leads and 1 client.");
    const heirs = await signedIn(heir);
    const lead = await heirs.request("GET", `/api/v1/leads/${kept.id}`, undefined, LeadRead);
    expect(lead.assigned_to).toBe(heir.id);
    // Nobody may receive records who cannot sign in.
    const refused = await failure(reassignRecords(admin, heir.id, leaver.id));
    expect(fieldErrors(refused, ["to_user_id"])).toEqual({ to_user_id: "must be another active user of the tenant" });
  });

  describe("tenant configuration", () => {
    let original: Awaited<ReturnType<typeof loadConfig>>;
    beforeAll(async () => {
      original = await loadConfig(admin);
    });
    afterAll(async () => {
      await saveConfig(admin, original);
    });

    it("saves what the form checked, and a device gets it by sync", async () => {
      const form = toForm(original);
      form.labels = { ...form.labels, lead_status: { ...form.labels.lead_status, qualified: "Hot" } };
      form.primary_color = "#7C3AED";
      const checked = checkForm(form);
      expect(checked.ok).toBe(true);
      if (!checked.ok) return;
      const saved = await saveConfig(admin, checked.body);
      expect(saved.labels?.lead_status).toEqual({ qualified: "Hot" });
      expect(saved.branding?.primary_color).toBe("#7c3aed");
      expect(await loadConfig(admin)).toEqual(saved);

      const phone = await device(server().user);
      await phone.client.pull();
      const config = (await phone.store.config())?.config as typeof saved;
      expect(config.labels?.lead_status).toEqual({ qualified: "Hot" });
      expect(config.branding?.primary_color).toBe("#7c3aed");
    });

    it("refuses an unknown status with 422 and changes nothing", async () => {
      const before = await loadConfig(admin);
      const labels = { ...before.labels, lead_status: { won: "Won" } };
      const err = await failure(saveConfig(admin, { ...before, labels }));
      expect(err.status).toBe(422);
      expect(err.code).toBe("validation_error");
      const shown = fieldErrors(err, FORM_FIELDS);
      expect(Object.keys(shown)).toEqual(["root"]);
      expect(shown.root).toContain("labels.lead_status.won");
      const blank = await failure(saveConfig(admin, { ...before, labels: { lead_status: { new: "" } } }));
      expect(Object.keys(fieldErrors(blank, FORM_FIELDS))).toEqual(["labels.lead_status.new"]);
      expect(await loadConfig(admin)).toEqual(before);
    });
  });

  it("restores and purges trashed records, each with its result; only admins purge", async () => {
    // An admin of our own: the records are theirs alone, out of other test files' way.
    const owner = await makeUser("trash-admin", ["admin", "user"]);
    const theirs = await signedIn(owner);
    const ids: string[] = [];
    for (const name of ["Trash one", "Trash two", "Trash three"]) {
      const lead = await theirs.request("POST", "/api/v1/leads", { name }, z.object({ id: z.string() }));
      await theirs.request("DELETE", `/api/v1/leads/${lead.id}`, undefined, z.unknown());
      ids.push(lead.id);
    }
    // Someone else's trashed lead is in the admin's Trash too (the whole tenant's).
    const field = await signedIn(server().user);
    const other = await field.request("POST", "/api/v1/leads", { name: "Field lead" }, z.object({ id: z.string() }));
    await field.request("DELETE", `/api/v1/leads/${other.id}`, undefined, z.unknown());
    const page = await trashPage(theirs, "lead", null, 100);
    expect(page.items.map((i) => i.id)).toEqual(expect.arrayContaining([...ids, other.id]));
    const [one, two, three] = ids.map((id) => page.items.find((i) => i.id === id));
    if (!one || !two || !three) throw new Error(`trash page: ${JSON.stringify(page.items)}`);
    expect(one).toMatchObject({ entity: "lead", name: "Trash one", owner: owner.id });

    const refused = await purgeItems(field, [two]);
    expect(refused).toEqual([
      { entity: "lead", id: two.id, ok: false, error: "This needs the admin role.", name: "Trash two" },
    ]);

    expect(await restoreItems(theirs, [one])).toEqual([
      { entity: "lead", id: one.id, ok: true, error: null, name: "Trash one" },
    ]);
    const purged = await purgeItems(theirs, [two, three, one]);
    expect(purged.map((o) => [o.name, o.ok])).toEqual([
      ["Trash two", true],
      ["Trash three", true],
      ["Trash one", false],
    ]);
    expect(purged[2]?.error).toMatch(/not found/i);
    const left = (await trashPage(theirs, "lead", null, 100)).items.map((i) => i.id);
    expect(left).toContain(other.id);
    expect(left.filter((id) => ids.includes(id))).toEqual([]);
    expect((await theirs.request("GET", `/api/v1/leads/${one.id}`, undefined, LeadRead)).deleted_at).toBeNull();
    expect((await failure(theirs.request("GET", `/api/v1/leads/${two.id}`, undefined, z.unknown()))).status).toBe(404);
  });
});
