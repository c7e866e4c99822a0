// Search (phone, field user): from the header, a word of a lead's city finds the lead, its
// contact and nothing else, the same hits the server's GET /search answers; the record opens from
// its hit and back returns to the results. Offline (after a reload with no network): a phone
// number typed another way finds the lead, Enter opens it, and a lead created offline is found
// at once.
import {
  check,
  DESKTOP,
  idFromUrl,
  openPages,
  PHONE,
  restAs,
  serviceWorkerControls,
  shootBoth,
  signIn,
  step,
  synced,
} from "./lib.mjs";

/** The hits on screen once the search for `q` has been rendered: "entity:id" strings. */
async function hitsFor(page, q) {
  await page.waitForSelector(`[data-testid="search-status"][data-ready="true"][data-q="${q}"]`);
  return page.$$eval('[data-testid="search-hit"]', (els) => els.map((el) => `${el.dataset.entity}:${el.dataset.id}`));
}

async function search(page, q) {
  await page.fill('input[type="search"]', q);
  return hitsFor(page, q);
}

export async function searchJourney({ browser, base, api }) {
  const rest = await restAs(base, api.user);
  const lead = await rest.create("leads", {
    name: "Harbor Plumbing",
    city: "Quillfield",
    phone: "555 (014) 2077",
  });
  const contact = await rest.create("contacts", { lead_id: lead.id, first_name: "Rowan", last_name: "Quillan" });
  await rest.create("leads", { name: "Quill Street Deli", city: "Salem" }); // "quillfield" is not "quill"
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  openPages.add(page);

  await step(
    "search: from the header, a word of a city finds the lead and its contact, as the server does",
    async () => {
      await signIn(page, base, api.user);
      await synced(page);
      await page.click('[data-testid="search-link"]');
      await page.waitForURL(/\/search$/);
      await page.waitForSelector('[data-testid="search-empty"]');
      const hits = await search(page, "quillf");
      check(
        JSON.stringify(hits) === JSON.stringify([`lead:${lead.id}`]),
        `"quillf" found ${JSON.stringify(hits)}, expected only the lead`,
      );
      const cityHit = `[data-testid="search-hit"][data-id="${lead.id}"]`;
      check((await page.textContent(`${cityHit} [data-field="city"]`))?.includes("Quillfield"), "city not shown");
      const both = await search(page, "quil");
      const server = (await rest.call("GET", "search?q=quil")).json.items.map((h) => `${h.entity}:${h.id}`);
      check(
        JSON.stringify([...both].sort()) === JSON.stringify([...server].sort()),
        `device ${JSON.stringify(both)} vs server ${JSON.stringify(server)}`,
      );
      check(both.includes(`contact:${contact.id}`), "the contact was not found by its last name");
      await shootBoth(page, "search");
      await page.setViewportSize(DESKTOP.viewport);
      check(await page.isVisible('[data-testid="search-link"]'), "no search link in the desktop header");
      await page.setViewportSize(PHONE.viewport);
    },
  );

  await step("search: a hit opens its record (a contact its lead); back returns to the results", async () => {
    await page.click(`[data-testid="search-hit"][data-id="${contact.id}"] a`);
    await page.waitForURL(new RegExp(`/leads/${lead.id}$`));
    await page.goBack();
    await page.waitForURL(/\/search\?q=quil$/);
    check((await page.inputValue('input[type="search"]')) === "quil", "the query was lost on the way back");
    check((await hitsFor(page, "quil")).length === 3, "the results were lost on the way back");
  });

  await step("search offline: a phone typed another way finds the lead, Enter opens it", async () => {
    check(await serviceWorkerControls(page), "the service worker does not control the page");
    await context.setOffline(true);
    await page.goto(`${base}/search`);
    await page.waitForSelector('[data-testid="sync-indicator"][data-phase="offline"]', { timeout: 15_000 });
    for (const typed of ["555-014-2077", "5550142077", "555 014 20"]) {
      const hits = await search(page, typed);
      check(hits[0] === `lead:${lead.id}` && hits.length === 1, `"${typed}" found ${JSON.stringify(hits)}`);
    }
    await page.press('input[type="search"]', "Enter");
    await page.waitForURL(new RegExp(`/leads/${lead.id}$`));
  });

  await step("search offline: a lead created offline is found at once", async () => {
    await page.goto(`${base}/leads/new`);
    await page.fill("#name", "Zephyr Roofing");
    await page.fill("#city", "Quillfield");
    await page.click("button[type=submit]");
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    const made = idFromUrl(page);
    await page.click('[data-testid="search-link"]');
    const hits = await search(page, "quillfield");
    check(hits.includes(`lead:${made}`) && hits.includes(`lead:${lead.id}`), `found ${JSON.stringify(hits)}`);
    await page.click(`[data-testid="search-hit"][data-id="${made}"] a`);
    await page.waitForURL(new RegExp(`/leads/${made}$`));
    await context.setOffline(false);
    await synced(page);
  });
  openPages.delete(page);
  await context.close();
}
