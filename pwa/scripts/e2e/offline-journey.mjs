// The field worker's day, on a phone, against a FRESH server: sign in; go offline; reload (the
// app still starts); create a lead; log an interaction on it in three taps; edit a client;
// convert a lead; come back online -> the server has exactly those changes, no others.
import {
  check,
  eventually,
  idFromUrl,
  openFromList,
  openPages,
  PHONE,
  restAs,
  serviceWorkerControls,
  shootBoth,
  signIn,
  step,
  synced,
} from "./lib.mjs";

const byId = (rows) => new Map(rows.map((r) => [r.id, r]));
const snapshot = async (rest) => ({
  leads: byId(await rest.all("leads")),
  clients: byId(await rest.all("clients")),
  contacts: byId(await rest.all("contacts")),
  interactions: byId(await rest.all("interactions")),
  projects: byId(await rest.all("projects")),
});
const added = (before, after) => [...after.keys()].filter((id) => !before.has(id)).map((id) => after.get(id));

/** A record changed in exactly these fields (and the bookkeeping the server keeps). */
function changedExactly(before, after, expected, label) {
  const bookkeeping = new Set(["updated_at", "version"]);
  for (const [key, value] of Object.entries(after)) {
    if (bookkeeping.has(key)) continue;
    const want = key in expected ? expected[key] : before[key];
    if (want === "*") continue;
    check(
      JSON.stringify(value) === JSON.stringify(want),
      `${label}.${key}: server has ${JSON.stringify(value)}, expected ${JSON.stringify(want)}`,
    );
  }
}

export async function offlineJourney({ browser, base, api }) {
  const who = api.user;
  const rest = await restAs(base, who);
  const seedClient = await rest.create("clients", { name: "Seed Client", phone: "555-0001", city: "Salem" });
  const seedLead = await rest.create("leads", { name: "Seed Lead", contact_person: "Casey Kim", phone: "555-0300" });
  const casey = await rest.create("contacts", { lead_id: seedLead.id, first_name: "Casey", last_name: "Kim" });
  const phone = await browser.newContext(PHONE);
  const page = await phone.newPage();
  openPages.add(page);
  page.on("pageerror", (err) => console.log(`    [page error] ${err.message}`));
  let before;
  const made = {};

  await step("offline journey: signs in and syncs", async () => {
    await signIn(page, base, who, { shoot: shootBoth });
    await synced(page);
    check(await serviceWorkerControls(page), "the service worker does not control the page");
    before = await snapshot(rest);
  });

  await step("offline journey: reloads with no network — the app still starts", async () => {
    await phone.setOffline(true);
    await page.reload();
    await page.waitForSelector('[data-testid="today"]');
    await page.waitForSelector('[data-testid="sync-indicator"][data-phase="offline"]', { timeout: 15_000 });
  });

  await step("offline journey: creates a lead offline", async () => {
    await page.goto(`${base}/leads/new`);
    await page.click("button[type=submit]");
    await page.waitForSelector("#name-error"); // validated on the device with the generated schema
    await page.fill("#name", "Offline Lead");
    await page.fill("#contact_person", "Dana Ruiz");
    await page.fill("#phone", "555-0142");
    await page.click("button[type=submit]");
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    made.lead = idFromUrl(page);
    await page.waitForSelector("text=Pending sync");
  });

  await step("offline journey: logs an interaction in three taps (Log → Call → Save)", async () => {
    await page.click('[data-testid="log-interaction"]'); // 1
    await page.click('[role="dialog"] button:has-text("Call")'); // 2
    await page.click('[role="dialog"] button[type="submit"]'); // 3
    await page.waitForSelector('[role="dialog"]', { state: "detached" });
    await page.click('[role="tab"]:has-text("Interactions")');
    await page.waitForSelector('[data-testid="interaction-list"] >> text=Call – Offline Lead');
  });

  await step("offline journey: edits a client offline", async () => {
    await openFromList(page, base, "clients", "Seed Client");
    await page.click("text=Edit");
    await page.fill("#phone", "555-0002");
    await page.click("button[type=submit]");
    await page.waitForURL(/\/clients\/[0-9a-f-]{36}$/);
    await page.waitForSelector('[data-testid="record-badges"] >> text=Pending sync');
  });

  await step("offline journey: converts a lead offline — the client shows at once with its contact", async () => {
    await openFromList(page, base, "leads", "Seed Lead");
    await page.click('button:has-text("Convert to client")');
    await page.click('[role="dialog"] button:has-text("Convert")');
    await page.waitForURL(/\/clients\/[0-9a-f-]{36}$/);
    made.client = idFromUrl(page);
    // the URL changes before the router renders the client: the lead's page (same h1, a Contacts
    // tab too) is still shown for a moment, so wait for the client's page itself
    await page.waitForSelector(`article:has(header a[href="/clients"]) h1:text-is('Seed Lead')`);
    await page.click('[role="tab"]:has-text("Contacts")');
    await page.waitForSelector('[data-testid="contact-list"] >> text=Casey Kim');
    const now = await snapshot(rest);
    check(
      now.leads.size === before.leads.size && now.clients.size === before.clients.size,
      "the server changed while offline",
    );
  });

  await step("offline journey: back online — the server has exactly those changes", async () => {
    await phone.setOffline(false);
    await synced(page);
    const after = await eventually(async () => {
      const s = await snapshot(rest);
      check(s.leads.get(seedLead.id)?.lead_status === "converted", "conversion not on the server yet");
      return s;
    });
    const newLeads = added(before.leads, after.leads);
    check(
      newLeads.length === 1 && newLeads[0].id === made.lead,
      `new leads: ${JSON.stringify(newLeads.map((l) => l.name))}`,
    );
    check(
      newLeads[0].name === "Offline Lead" &&
        newLeads[0].phone === "555-0142" &&
        newLeads[0].contact_person === "Dana Ruiz",
      "the lead's fields differ",
    );
    const newInteractions = added(before.interactions, after.interactions);
    check(newInteractions.length === 1, `new interactions: ${newInteractions.length}`);
    const call = newInteractions[0];
    check(
      call.lead_id === made.lead &&
        call.type === "call" &&
        call.summary === "Call – Offline Lead" &&
        call.client_id === null,
      `interaction: ${JSON.stringify(call)}`,
    );
    changedExactly(seedClient, after.clients.get(seedClient.id), { phone: "555-0002" }, "client");
    changedExactly(
      seedLead,
      after.leads.get(seedLead.id),
      { lead_status: "converted", converted_client_id: made.client, converted_on: "*" },
      "lead",
    );
    const newClients = added(before.clients, after.clients);
    check(newClients.length === 1 && newClients[0].id === made.client, `new clients: ${newClients.length}`);
    check(
      newClients[0].source_lead_id === seedLead.id &&
        newClients[0].name === "Seed Lead" &&
        newClients[0].status === "active",
      "converted client differs",
    );
    check(added(before.contacts, after.contacts).length === 0, "a contact was added");
    changedExactly(casey, after.contacts.get(casey.id), { lead_id: null, client_id: made.client }, "contact");
    check(after.projects.size === before.projects.size, "a project appeared");
    for (const [id, row] of before.leads)
      if (id !== seedLead.id) changedExactly(row, after.leads.get(id), {}, "other lead");
  });
  openPages.delete(page);
  return { phone, page, made, seedLead, seedClient };
}
