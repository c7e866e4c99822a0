#!/usr/bin/env node
// Performance on a phone-sized screen with 10,000 leads in the local store, in headless
// Chromium (Debian's, via playwright-core) against `pathsix serve` with a fresh database (the
// leads are written into the device's IndexedDB directly; see seedLocal):
//   - navigation to a usable leads list (the first rows on screen: mark pathsix:leads-list-usable)
//   - local search and filter latency: input -> the list and its count updated on screen
//   - global search (/search): a tap on the header's search link -> the index of every record
//     built (mark pathsix:search-ready), and input -> the grouped results on screen (after its
//     debounce)
// each without and with 4x CPU throttling (a mid-range phone); and the app shell's gzip size.
//
//   npm run perf                 (builds first)      node scripts/perf.mjs --no-build [--leads N]
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { PHONE, signIn, synced } from "./e2e/lib.mjs";
import { startServer } from "./server-harness.mjs";
import { shellSize } from "./size.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const LEADS = Number(arg("--leads", "10000"));
const RUNS = 5;
const ROUNDS = 5;
const QUERIES = ["port", "bakery", "555-01", "zzz-nothing", "salem auto", ""];
const FILTERS = ["contacted", "qualified", "new", ""];
const GLOBAL_QUERIES = ["port", "555 01", "zzz-nothing", "salem auto", "person 99", ""];
const SEARCH_DEBOUNCE_MS = 150; // src/screens/search/SearchScreen.tsx
const TAP_MS = 100; // pointer down -> click of a tap

const CITIES = ["Portland", "Salem", "Eugene", "Bend", "Medford", "Seattle", "Tacoma", "Boise", "Spokane", "Reno"];
const KINDS = ["Plumbing", "Bakery", "Auto", "Dental", "Gym", "Roofing", "Cafe", "Salon", "Landscaping", "Electric"];
const STATUSES = ["new", "contacted", "qualified", "lost"];
const SOURCES = ["Referral", "Website", "Trade show", "Cold call"];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const ms = (n) => `${n.toFixed(1)} ms`;

/** The leads straight into the signed-in user's IndexedDB store, in the server's Read shape
 * (seeding 10,000 through the server's write path takes minutes on SQLite; what is measured
 * here is the device with them in its store). */
async function seedLocal(page, count) {
  await page.evaluate(
    async ({ count, CITIES, KINDS, STATUSES, SOURCES }) => {
      const { user } = JSON.parse(localStorage.getItem("pathsix.session"));
      const db = await new Promise((ok, fail) => {
        const open = indexedDB.open(`pathsix-${user.id}`);
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      const tx = db.transaction("leads", "readwrite");
      const store = tx.objectStore("leads");
      const t0 = Date.UTC(2026, 0, 1);
      for (let i = 0; i < count; i += 1) {
        const at = new Date(t0 + i * 60_000).toISOString();
        store.put({
          id: crypto.randomUUID(),
          name: `${CITIES[i % 10]} ${KINDS[Math.floor(i / 10) % 10]} ${i}`,
          contact_person: `Person ${i}`,
          contact_title: null,
          email: `lead${i}@example.com`,
          phone: `555-${String(i).padStart(4, "0")}`,
          phone_label: "work",
          secondary_phone: null,
          secondary_phone_label: null,
          address: `${i} Main St`,
          city: CITIES[(i * 7) % 10],
          state: "OR",
          zip: "97201",
          notes: null,
          lead_status: STATUSES[i % 4],
          lead_source: SOURCES[i % 4],
          business_type: KINDS[i % 10],
          assigned_to: user.id,
          converted_on: null,
          converted_client_id: null,
          created_at: at,
          updated_at: at,
          created_by: user.id,
          deleted_at: null,
          version: i + 1,
        });
      }
      await new Promise((ok, fail) => {
        tx.oncomplete = ok;
        tx.onerror = () => fail(tx.error);
      });
      db.close();
    },
    { count, CITIES, KINDS, STATUSES, SOURCES },
  );
}

/** Input -> the list rendered for it (the count's data-q / data-filters name the query it
 * shows, deferred rendering included) and the frame after it painted. */
function timeInput(page, selector, value) {
  return page.evaluate(
    async ({ selector, value }) => {
      const control = document.querySelector(selector);
      const count = document.querySelector('[data-testid="list-count"]');
      const select = control instanceof HTMLSelectElement;
      const shown = () =>
        select ? (JSON.parse(count.dataset.filters).lead_status ?? "") === value : count.dataset.q === value;
      const t0 = performance.now();
      Object.getOwnPropertyDescriptor(
        select ? HTMLSelectElement.prototype : HTMLInputElement.prototype,
        "value",
      ).set.call(control, value);
      control.dispatchEvent(new Event(select ? "change" : "input", { bubbles: true }));
      // Committed: React wrote the list for this input (a mutation observer sees it at once).
      await new Promise((done) => {
        if (shown()) return done();
        const observer = new MutationObserver(() => {
          if (!shown()) return;
          observer.disconnect();
          done();
        });
        observer.observe(count, { attributes: true });
      });
      const committed = performance.now() - t0;
      // Painted: the next frame after the commit.
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return { committed, painted: performance.now() - t0 };
    },
    { selector, value },
  );
}

/** Input -> the search screen's results for it committed (its status names the query it shows)
 * and painted. Includes the input's debounce. */
function timeGlobalSearch(page, value) {
  return page.evaluate(async (value) => {
    const input = document.querySelector('[data-testid="search"] input[type="search"]');
    const status = document.querySelector('[data-testid="search-status"]');
    const shown = () => status.dataset.q === value && status.dataset.ready === "true";
    const t0 = performance.now();
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(input, value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((done) => {
      if (shown()) return done();
      const observer = new MutationObserver(() => {
        if (!shown()) return;
        observer.disconnect();
        done();
      });
      observer.observe(status, { attributes: true });
    });
    const committed = performance.now() - t0;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return { committed, painted: performance.now() - t0 };
  }, value);
}

/** From the Today screen of a fresh page load: a tap on the header's search link (pointer down,
 * click TAP_MS later) -> the search index built. */
async function timeOpenSearch(page, base, markAt) {
  await page.goto(`${base}/today`);
  await page.waitForSelector('[data-testid="today"]');
  const tapped = await page.evaluate(async (tapMs) => {
    const link = document.querySelector('[data-testid="search-link"]');
    const t0 = performance.now();
    link.dispatchEvent(new PointerEvent("pointerdown", { bubbles: true }));
    await new Promise((r) => setTimeout(r, tapMs));
    link.click();
    return t0;
  }, TAP_MS);
  return (await markAt("pathsix:search-ready")) - tapped;
}

async function measureGlobalSearch(page, base, markAt) {
  const ready = [];
  for (let run = 0; run < RUNS; run += 1) ready.push(await timeOpenSearch(page, base, markAt));
  const global = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const q of GLOBAL_QUERIES) global.push(await timeGlobalSearch(page, q));
  }
  return { searchReady: ready, globalSearch: global };
}

async function measure(page, base, throttle) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  const usable = [];
  const complete = [];
  const markAt = async (name) =>
    (
      await page.waitForFunction((n) => performance.getEntriesByName(n)[0]?.startTime, name, {
        timeout: 60_000,
        polling: 16,
      })
    ).jsonValue();
  for (let run = 0; run < RUNS; run += 1) {
    await page.goto(`${base}/leads`);
    usable.push(await markAt("pathsix:leads-list-usable"));
    complete.push(await markAt("pathsix:leads-list-complete"));
  }
  await page.waitForSelector(`[data-testid="list-count"]:has-text("of ${LEADS} leads")`);
  const search = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const q of QUERIES) search.push(await timeInput(page, 'input[type="search"]', q));
  }
  const filter = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const status of FILTERS) filter.push(await timeInput(page, 'select[aria-label="Filter by statuses"]', status));
  }
  const global = await measureGlobalSearch(page, base, markAt);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  return { throttle, usable, complete, search, filter, ...global };
}

async function main() {
  if (!process.argv.includes("--no-build")) execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  const staticDir = join(mkdtempSync(join(tmpdir(), "pathsix-perf-")), "app");
  cpSync(resolve(root, "dist"), staticDir, { recursive: true });
  const api = await startServer({ staticDir });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const page = await (await browser.newContext(PHONE)).newPage();
    await signIn(page, api.url, api.user);
    await synced(page);
    await seedLocal(page, LEADS);
    await page.goto(`${api.url}/leads`);
    await page.waitForSelector(`[data-testid="list-count"]:has-text("${LEADS} of ${LEADS} leads")`, {
      timeout: 60_000,
    });
    const results = [await measure(page, api.url, 1), await measure(page, api.url, 4)];
    const size = shellSize();
    console.log(
      `\n${LEADS} leads, phone viewport 390x844, ${RUNS} navigations, ${QUERIES.length * ROUNDS} searches, ${FILTERS.length * ROUNDS} filter changes`,
    );
    for (const r of results) {
      console.log(
        `CPU ${r.throttle}x: navigation -> first rows on screen median ${ms(median(r.usable))} (max ${ms(Math.max(...r.usable))})`,
      );
      console.log(
        `         navigation -> all ${LEADS} listed median ${ms(median(r.complete))} (max ${ms(Math.max(...r.complete))})`,
      );
      for (const kind of ["search", "filter"]) {
        for (const phase of ["committed", "painted"]) {
          const xs = r[kind].map((x) => x[phase]);
          console.log(
            `         ${kind} -> ${phase.padEnd(9)} median ${ms(median(xs))}  p95 ${ms(p95(xs))}  max ${ms(Math.max(...xs))}`,
          );
        }
      }
      console.log(
        `         tap on search -> index of all records built median ${ms(median(r.searchReady))} (max ${ms(Math.max(...r.searchReady))})`,
      );
      for (const phase of ["committed", "painted"]) {
        const xs = r.globalSearch.map((x) => x[phase] - SEARCH_DEBOUNCE_MS);
        console.log(
          `         global search -> ${phase.padEnd(9)} median ${ms(median(xs))}  p95 ${ms(p95(xs))}  max ${ms(Math.max(...xs))}  (after the ${SEARCH_DEBOUNCE_MS} ms debounce)`,
        );
      }
    }
    console.log(
      `app shell: ${(size.gzip / 1024).toFixed(1)} kB gzip (JS ${(size.js / 1024).toFixed(1)} kB, CSS ${(size.css / 1024).toFixed(1)} kB)`,
    );
    const out = resolve(root, "test-results/perf.json");
    writeFileSync(out, JSON.stringify({ leads: LEADS, results, shellGzipBytes: size.gzip }, null, 2));
    console.log(`raw figures: ${out}`);
  } finally {
    await browser.close();
    await api.stop();
    rmSync(dirname(staticDir), { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
