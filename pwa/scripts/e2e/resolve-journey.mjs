// Two field users' phones edit the same lead offline (its status on both, its phone on both):
// the later status is held for review and the later phone wins by last-writer-wins. The admin,
// at a desktop, opens Admin -> Conflicts, compares the sides, resolves the status with a value of
// its own, and restores the losing phone from the history: both phones converge on each decision
// and the "waiting for review" mark goes away. Offline, the screen says it needs a connection.
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

/** The lead page as a device shows it once it has synced: values and no review mark. */
async function deviceShows(page, base, id, expected) {
  await eventually(async () => {
    for (const [name, value] of Object.entries(expected)) {
      const shown = await field(page, name);
      check(shown === value, `${name} shows ${JSON.stringify(shown)}, expected ${JSON.stringify(value)}`);
    }
    check(!(await badges(page)).includes("Waiting for review"), "still waiting for review");
  }, 10_000).catch(async () => {
    // No poke arrived in time: a reload syncs on start, as reopening the app would.
    await page.goto(`${base}/leads/${id}`);
    await synced(page);
    await eventually(async () => {
      for (const [name, value] of Object.entries(expected)) check((await field(page, name)) === value, name);
      check(!(await badges(page)).includes("Waiting for review"), "still waiting for review");
    });
  });
}

/** The queue's count line: "1 open conflict", "3 auto-resolved conflicts". */
const countOf = (n, status) => `${n} ${status} ${n === 1 ? "conflict" : "conflicts"}`;

export async function resolveJourney({ browser, base, api }) {
  const admin = await restAs(base, api.admin);
  const second = { email: `second-${Date.now().toString(36)}@example.com`, password: api.admin.password };
  // The admin sees neither the lead on its device nor through /leads (not its own): it
  // reads the server's value as the assignee does.
  const assignee = await restAs(base, api.user);
  let secondId;
  let lead;
  const desk = await browser.newContext(DESKTOP);
  const phone1 = await browser.newContext(PHONE);
  const phone2 = await browser.newContext(PHONE);
  const a = await desk.newPage();
  const d1 = await phone1.newPage();
  const d2 = await phone2.newPage();
  for (const p of [a, d1, d2]) openPages.add(p);
  let openId;

  await step("resolve: a second field user creates a lead assigned to the first; both phones have it", async () => {
    secondId = (await admin.create("admin/users", { ...second, name: "Second User", roles: ["user"] })).id;
    lead = await (await restAs(base, second)).create("leads", {
      name: "Contested Lead",
      phone: "555-0100",
      assigned_to: api.user.id,
    });
    for (const [page, who] of [
      [d1, api.user],
      [d2, second],
    ]) {
      await signIn(page, base, who);
      await synced(page);
      await page.goto(`${base}/leads/${lead.id}`);
      await page.waitForSelector("h1:text-is('Contested Lead')");
    }
  });

  await step("resolve: both edit status and phone offline; the later status waits for review", async () => {
    await phone1.setOffline(true);
    await phone2.setOffline(true);
    await editLead(d1, base, lead.id, async () => {
      await d1.selectOption("#lead_status", "qualified");
      await d1.fill("#phone", "555-0101");
    });
    await editLead(d2, base, lead.id, async () => {
      await d2.selectOption("#lead_status", "lost");
      await d2.fill("#phone", "555-0202");
    });
    await phone1.setOffline(false);
    await synced(d1);
    await phone2.setOffline(false);
    await synced(d2);
    await eventually(async () => {
      const shown = await badges(d2);
      check(shown.includes("Waiting for review"), `the second phone shows: ${shown}`);
    });
    const server = await assignee.get(`leads/${lead.id}`);
    check(server.lead_status === "qualified" && server.phone === "555-0202", `server: ${JSON.stringify(server)}`);
  });

  await step("resolve: the admin finds it in Admin -> Conflicts and compares the sides", async () => {
    await signIn(a, base, api.admin);
    await synced(a);
    // Earlier journeys may have left open conflicts of their own: count them, find ours by name.
    const open = (await admin.get("admin/conflicts?status=open&count=true")).total;
    await a.goto(`${base}/admin`);
    await a.waitForSelector(`[data-testid="open-conflicts-count"]:text-is("${open} open")`);
    await a.click('a:has-text("Conflicts")');
    await a.waitForURL(/\/admin\/conflicts$/);
    await a.waitForSelector(`[data-testid="conflicts-count"]:text-is("${countOf(open, "open")}")`);
    const row = a.locator('[data-testid="conflict-row"]', { hasText: "Contested Lead" });
    check((await row.count()) === 1, `rows: ${await row.count()}`);
    const text = await row.textContent();
    check(
      text.includes("Contested Lead") && text.includes("Status: Qualified vs Lost") && text.includes("Second User"),
      `row: ${text}`,
    );
    await shootBoth(a, "admin-conflicts");
    await row.locator("a").first().click();
    await a.waitForURL(/\/admin\/conflicts\/[0-9a-f-]{36}$/);
    openId = a.url().split("/").pop();
    await a.waitForSelector('[data-testid="conflict-title"]:text-is("Contested Lead")');
    const status = a.locator('[data-testid="conflict-fields"] [data-field="lead_status"]');
    check((await status.locator('[data-side="server"]').textContent()) === "Qualified", "server side");
    check((await status.locator('[data-side="client"]').textContent()) === "Lost", "device side");
    const meta = await a.textContent('[data-testid="conflict-meta"]');
    check(meta.includes("Second User") && meta.includes("Chrome"), `meta: ${meta}`);
    await shootBoth(a, "admin-conflict-detail");
  });

  await step("resolve: the admin sets a third status; both phones converge, no review mark", async () => {
    await a.click('summary:has-text("Choose per field")');
    await a.click('input[name="lead_status-pick"][value="custom"]');
    await a.selectOption("#lead_status", "contacted");
    await shootBoth(a, "admin-conflict-custom");
    await a.click('button:has-text("Apply these values")');
    await a.waitForSelector('[data-testid="resolve-message"] >> text=Resolved with values chosen field by field');
    await a.waitForSelector('[data-testid="conflict-resolution"]');
    const server = await assignee.get(`leads/${lead.id}`);
    check(server.lead_status === "contacted", `server status: ${server.lead_status}`);
    const conflict = await admin.get(`admin/conflicts/${openId}`);
    check(conflict.status === "resolved" && conflict.resolution.choice === "custom", JSON.stringify(conflict));
    await deviceShows(d1, base, lead.id, { lead_status: "Contacted", phone: "555-0202" });
    await deviceShows(d2, base, lead.id, { lead_status: "Contacted", phone: "555-0202" });
  });

  await step("resolve: the losing phone is restored from the history and reaches both phones", async () => {
    await a.goto(`${base}/admin/conflicts`);
    await a.click('[data-testid="conflict-filters"] button:has-text("Auto-resolved")');
    const auto = (await admin.get("admin/conflicts?status=auto_resolved&count=true")).total;
    await a.waitForSelector(`[data-testid="conflicts-count"]:text-is("${countOf(auto, "auto-resolved")}")`);
    const row = a.locator('[data-testid="conflict-row"]', { hasText: "Contested Lead" });
    check((await row.textContent()).includes("Phone: 555-0101 vs 555-0202"), await row.textContent());
    await shootBoth(a, "admin-conflicts-history");
    await row.locator("a").first().click();
    await a.waitForSelector('[data-testid="conflict-title"]:text-is("Contested Lead")');
    await a.click('button:has-text("Restore this value")');
    await a.waitForSelector('[data-testid="resolve-message"] >> text=the losing value was restored');
    check((await assignee.get(`leads/${lead.id}`)).phone === "555-0101", "the server's phone was not restored");
    await deviceShows(d1, base, lead.id, { lead_status: "Contacted", phone: "555-0101" });
    await deviceShows(d2, base, lead.id, { lead_status: "Contacted", phone: "555-0101" });
    const history = await admin.all(`admin/conflicts?status=resolved&user_id=${secondId}`);
    check(history.length === 2, `history: ${history.length}`);
  });

  await step("resolve: offline, the conflict screens say they need a connection", async () => {
    const left = countOf((await admin.get("admin/conflicts?status=open&count=true")).total, "open");
    await a.goto(`${base}/admin/conflicts`);
    await a.waitForSelector(`[data-testid="conflicts-count"]:text-is("${left}")`);
    await synced(a);
    await desk.setOffline(true);
    await a.waitForSelector('[data-testid="needs-connection"] >> text=You are offline');
    await shootBoth(a, "admin-conflicts-offline");
    await desk.setOffline(false);
    await a.waitForSelector(`[data-testid="conflicts-count"]:text-is("${left}")`);
  });

  for (const p of [a, d1, d2]) openPages.delete(p);
  for (const c of [desk, phone1, phone2]) await c.close();
}
