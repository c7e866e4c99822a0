// Two devices of two users who both see one lead (the admin created it and assigned it to the
// field user) edit it offline: first different fields (phone on one, status on the other) ->
// merged, both devices show both edits; then both its status -> the later arrival is held as a
// conflict, and the device that lost shows "waiting for review".
import {
  badges,
  check,
  DESKTOP,
  editLead,
  eventually,
  field,
  openPages,
  PHONE,
  restAs,
  shootBoth,
  signIn,
  step,
  synced,
} from "./lib.mjs";

export async function conflictJourney({ browser, base, api }) {
  const admin = await browser.newContext(DESKTOP);
  const field_ = await browser.newContext(PHONE);
  const a = await admin.newPage();
  const b = await field_.newPage();
  openPages.add(a);
  openPages.add(b);
  let leadId;

  await step("two devices: the admin creates a lead assigned to the field user; both see it", async () => {
    await signIn(a, base, api.admin);
    await a.goto(`${base}/leads/new`);
    await a.fill("#name", "Shared Lead");
    await a.fill("#phone", "555-0100");
    await a.waitForSelector(`#assigned_to option[value="${api.user.id}"]`, { state: "attached" });
    await a.selectOption("#assigned_to", api.user.id);
    await a.click("button[type=submit]");
    await a.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    leadId = new URL(a.url()).pathname.split("/").pop();
    await synced(a);
    await signIn(b, base, api.user);
    await synced(b);
    await b.goto(`${base}/leads/${leadId}`);
    await b.waitForSelector("h1:text-is('Shared Lead')");
  });

  await step("two devices: phone edited on one, status on the other, offline -> merged on both", async () => {
    await admin.setOffline(true);
    await field_.setOffline(true);
    await editLead(a, base, leadId, () => a.fill("#phone", "555-0199"));
    await editLead(b, base, leadId, () => b.selectOption("#lead_status", "contacted"));
    await admin.setOffline(false);
    await synced(a);
    await field_.setOffline(false);
    await synced(b);
    // Each device learns the other's edit (pokes, or the next sync).
    await eventually(async () => {
      await b.click('[role="tab"]:has-text("Details")');
      check((await field(b, "phone")) === "555-0199", "the phone edit did not reach the field user's device");
      check((await field(b, "lead_status")) === "Contacted", "the field user's status edit is not shown");
    });
    await eventually(async () => {
      check((await field(a, "lead_status")) === "Contacted", "the status edit did not reach the admin's device");
      check((await field(a, "phone")) === "555-0199", "the admin's phone edit is not shown");
    });
    const server = await (await restAs(base, api.admin)).get(`leads/${leadId}`);
    check(
      server.phone === "555-0199" && server.lead_status === "contacted",
      `server: ${server.phone} ${server.lead_status}`,
    );
  });

  await step("two devices: both edit the status offline -> the later one waits for review", async () => {
    await admin.setOffline(true);
    await field_.setOffline(true);
    await editLead(a, base, leadId, () => a.selectOption("#lead_status", "qualified"));
    await editLead(b, base, leadId, () => b.selectOption("#lead_status", "lost"));
    await admin.setOffline(false);
    await synced(a);
    await field_.setOffline(false);
    await synced(b);
    await eventually(async () => {
      const shown = await badges(b);
      check(shown.includes("Waiting for review"), `the losing device shows: ${shown}`);
      check(shown.includes("Qualified"), `the losing device should show the kept value: ${shown}`);
    });
    check(!(await badges(a)).includes("Waiting for review"), "the winning device shows a review");
    const adminRest = await restAs(base, api.admin);
    check(
      (await adminRest.get(`leads/${leadId}`)).lead_status === "qualified",
      "the server did not keep the first status",
    );
    const open = (await adminRest.get("admin/conflicts?status=open")).items.filter((c) => c.record_id === leadId);
    check(open.length === 1 && open[0].fields.lead_status?.client === "lost", `conflicts: ${JSON.stringify(open)}`);
    await b.goto(`${base}/sync`);
    await b.waitForSelector('[data-testid="conflict"] >> text=Shared Lead');
    await shootBoth(b, "sync-conflicts");
  });
  openPages.delete(a);
  openPages.delete(b);
  await admin.close();
  await field_.close();
}
