#!/usr/bin/env node
// End to end in Debian's Chromium (playwright-core, no downloaded browser): a real server, the
// built app served with its SPA fallback and /api passed through, then: sign in; go offline;
// reload (the app still starts); create a lead offline; back online -> the server has it.
// Screenshots at phone (390x844) and desktop (1280x800) sizes go to test-results/.
//
//   npm run e2e            (builds first)      node scripts/e2e.mjs --no-build
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serveDist } from "./serve-dist.mjs";
import { freePort, startServer } from "./server-harness.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const results = resolve(root, "test-results");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

const openPages = new Set();
let passed = 0;
let failed = 0;
async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed += 1;
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    failed += 1;
    for (const [i, page] of [...openPages].entries()) {
      await page
        .screenshot({ path: `${results}/failure-${name.replace(/\W+/g, "-")}-${i}.png` })
        .catch(() => undefined);
    }
    console.log(`  ✗ ${name}\n    ${err?.stack ?? err}`);
    throw err;
  }
}
/** Retry fn until it stops throwing (the app syncs on its own schedule). */
async function eventually(fn, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
const check = (condition, message) => {
  if (!condition) throw new Error(message);
};

async function apiLogin(apiUrl, who) {
  const response = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: who.email, password: who.password }),
  });
  return (await response.json()).access_token;
}

async function serverLeads(apiUrl, token, q) {
  const response = await fetch(`${apiUrl}/api/v1/leads?q=${encodeURIComponent(q)}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return (await response.json()).items;
}

async function signIn(page, base, who) {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login/);
  await page.fill("#email", who.email);
  await page.fill("#password", who.password);
  await page.click("button[type=submit]");
  await page.waitForURL(/\/leads$/);
  await page.waitForSelector('[data-testid="leads-list"]');
}

const synced = (page) =>
  page.waitForSelector('[data-testid="sync-indicator"][data-phase="idle"][data-pending="0"]', { timeout: 20_000 });

async function main() {
  if (!process.argv.includes("--no-build")) {
    execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  }
  check(existsSync(resolve(root, "dist/sw.js")), "dist/sw.js missing: build first");
  check(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  mkdirSync(results, { recursive: true });

  const api = await startServer();
  const port = await freePort();
  const web = await serveDist({ port, apiUrl: api.url });
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const who = api.user;
  const leadName = `Offline lead ${Date.now().toString(36)}`;
  console.log(`e2e: app ${base}, API ${api.url}`);
  try {
    const phone = await browser.newContext(PHONE);
    const page = await phone.newPage();
    openPages.add(page);
    page.on("pageerror", (err) => console.log(`    [page error] ${err.message}`));

    await step("signs in and syncs", async () => {
      await signIn(page, base, who);
      await synced(page);
    });

    await step("installs the service worker and the manifest", async () => {
      const controlled = await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        for (let i = 0; i < 50 && !navigator.serviceWorker.controller; i += 1) {
          await new Promise((r) => setTimeout(r, 100));
        }
        return !!navigator.serviceWorker.controller;
      });
      check(controlled, "the page is not controlled by the service worker");
      const manifest = await page.evaluate(async () => (await fetch("/manifest.webmanifest")).json());
      check(
        manifest.icons.some((i) => i.sizes === "512x512"),
        "manifest lacks a 512px icon",
      );
      await page.screenshot({ path: `${results}/phone-1-leads-online.png` });
    });

    await step("reloads with no network: the app still starts", async () => {
      await phone.setOffline(true);
      await page.reload();
      await page.waitForSelector('[data-testid="leads-list"]');
      await page.waitForSelector('[data-testid="sync-indicator"][data-phase="offline"]', { timeout: 15_000 });
      await page.screenshot({ path: `${results}/phone-2-offline-reload.png` });
    });

    await step("validates the lead form with the generated schema", async () => {
      await page.click("text=New lead");
      await page.waitForURL(/\/leads\/new$/);
      await page.click("button[type=submit]");
      const error = await page.textContent("#name-error");
      check(error?.includes("Required") || error?.length, "no error shown for the missing name");
      await page.fill("#email", "not-an-email");
      await page.click("button[type=submit]");
      await page.waitForSelector("#email-error");
    });

    await step("creates a lead offline", async () => {
      await page.fill("#name", leadName);
      await page.fill("#email", "");
      await page.fill("#phone", "555-0142");
      await page.fill("#contact_person", "Dana Ruiz");
      await page.screenshot({ path: `${results}/phone-3-offline-form.png`, fullPage: true });
      await page.click("button[type=submit]");
      await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
      await page.waitForSelector("text=Pending sync");
      await page.screenshot({ path: `${results}/phone-4-offline-created.png` });
      const token = await apiLogin(api.url, who);
      check((await serverLeads(api.url, token, leadName)).length === 0, "the server has the lead while offline");
      await page.click("text=← Leads");
      await page.waitForSelector(`text=${leadName}`);
      await page.screenshot({ path: `${results}/phone-5-offline-list.png` });
    });

    await step("back online: the lead reaches the server", async () => {
      await phone.setOffline(false);
      await synced(page);
      const token = await apiLogin(api.url, who);
      const items = await eventually(async () => {
        const found = await serverLeads(api.url, token, leadName);
        check(found.length === 1, `expected the lead on the server, got ${found.length}`);
        return found;
      });
      check(items[0].phone === "555-0142" && items[0].contact_person === "Dana Ruiz", "fields differ on the server");
      await page.screenshot({ path: `${results}/phone-6-synced.png` });
    });
    openPages.delete(page);
    await phone.close();

    const desktop = await browser.newContext(DESKTOP);
    const big = await desktop.newPage();
    openPages.add(big);
    await step("desktop: the lead is there on another device", async () => {
      await signIn(big, base, who);
      await synced(big);
      await big.waitForSelector(`text=${leadName}`);
      await big.screenshot({ path: `${results}/desktop-1-leads.png` });
      await big.click(`text=${leadName}`);
      await big.waitForSelector("text=Dana Ruiz");
      await big.screenshot({ path: `${results}/desktop-2-lead-detail.png` });
      await big.click("text=Edit");
      await big.waitForSelector("form[aria-label='Edit lead']");
      await big.screenshot({ path: `${results}/desktop-3-lead-edit.png` });
    });

    await step("desktop: a change the server refuses comes back onto the form field", async () => {
      // Pydantic's email validator refuses special-use domains (.local, .test); the exported
      // schema says only "format: email", so the app accepts it and the server refuses it with
      // details.fields.email.
      await big.goto(`${base}/leads/new`);
      await big.fill("#name", "Refused email lead");
      await big.fill("#email", "dana@harbor.local");
      await big.click("button[type=submit]");
      await big.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
      await big.waitForSelector("text=The server refused a change", { timeout: 20_000 });
      await big.goto(`${base}/sync`);
      await big.waitForSelector("text=Fix and resend");
      await big.screenshot({ path: `${results}/desktop-4-sync-refused.png` });
      await big.click("text=Fix and resend");
      const message = await (await big.waitForSelector("#email-error")).textContent();
      check(/email/i.test(message ?? ""), `email error not shown on the field: ${message}`);
      await big.screenshot({ path: `${results}/desktop-5-fix-refused.png` });
      await big.fill("#email", "dana@harbor-plumbing.com");
      await big.click("button[type=submit]");
      const token = await apiLogin(api.url, who);
      await eventually(async () => {
        const items = await serverLeads(api.url, token, "Refused email lead");
        check(
          items.length === 1 && items[0].email === "dana@harbor-plumbing.com",
          "the fixed lead did not reach the server",
        );
      });
      await synced(big);
    });

    await step("two tabs of one device push each change once (Web Locks)", async () => {
      const sent = [];
      // Pushes the server answered (offline attempts never reach it and are retried).
      const watch = (tab) =>
        tab.on("response", (response) => {
          const request = response.request();
          if (!request.url().endsWith("/api/v1/sync/push") || response.status() !== 200) return;
          sent.push(...request.postDataJSON().mutations.map((m) => m.mid));
        });
      const second = await desktop.newPage();
      watch(big);
      watch(second);
      await second.goto(`${base}/leads`);
      await second.waitForSelector('[data-testid="leads-list"]');
      await desktop.setOffline(true);
      for (let i = 0; i < 3; i += 1) {
        const tab = i % 2 ? second : big;
        await tab.goto(`${base}/leads/new`);
        await tab.fill("#name", `Two tabs ${i}`);
        await tab.click("button[type=submit]");
        await tab.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
      }
      await desktop.setOffline(false);
      await Promise.all([synced(big), synced(second)]);
      const token = await apiLogin(api.url, who);
      await eventually(async () => {
        const items = await serverLeads(api.url, token, "Two tabs");
        check(items.length === 3, `expected 3 leads on the server, got ${items.length}`);
      });
      check(sent.length === new Set(sent).size, `a mutation was pushed twice: ${sent.join(",")}`);
    });
    await desktop.close();
  } finally {
    await browser.close();
    web.close();
    await api.stop();
    console.log(`${passed} passed, ${failed} failed`);
  }
}

main().catch(() => {
  process.exitCode = 1;
});
