// Shared pieces of the end-to-end journeys: steps with failure screenshots, polling, the REST
// API as a user sees it, and the app's own signals (sign-in, "synced", screenshots).
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 800 } };
export const results = resolve(import.meta.dirname, "../../test-results");
export const screenshots = resolve(results, "screenshots");
mkdirSync(screenshots, { recursive: true });

export const openPages = new Set();
export const tally = { passed: 0, failed: 0, skipped: 0 };

export async function step(name, fn) {
  const started = Date.now();
  try {
    const outcome = await fn();
    if (outcome === "skip") {
      tally.skipped += 1;
      console.log(`  - ${name} (skipped)`);
      return;
    }
    tally.passed += 1;
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    tally.failed += 1;
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
export async function eventually(fn, timeoutMs = 20_000) {
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

export const check = (condition, message) => {
  if (!condition) throw new Error(message);
};

/** The REST API as one user (the same visibility rules the app's sync has). */
export async function restAs(apiUrl, who) {
  const login = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: who.email, password: who.password }),
  });
  const token = (await login.json()).access_token;
  const call = async (method, path, body) => {
    const response = await fetch(`${apiUrl}/api/v1/${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  };
  return {
    call,
    async create(path, body) {
      const r = await call("POST", path, body);
      check(r.status === 201, `POST ${path}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    },
    async get(path) {
      const r = await call("GET", path);
      return r.status === 404 ? null : r.json;
    },
    /** every record of a list (pages followed) */
    async all(path) {
      const items = [];
      let cursor = null;
      do {
        const sep = path.includes("?") ? "&" : "?";
        const page = (
          await call("GET", `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)
        ).json;
        items.push(...page.items);
        cursor = page.next_cursor;
      } while (cursor);
      return items;
    },
  };
}

export async function signIn(page, base, who, { shoot } = {}) {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login/);
  await page.fill("#email", who.email);
  await page.fill("#password", who.password);
  if (shoot) await shoot(page, "login");
  await page.click("button[type=submit]");
  await page.waitForURL(/\/today$/);
  await page.waitForSelector('[data-testid="today"]');
}

/** Idle with nothing pending — after the edit debounce (300 ms), so a change just made has
 * registered as pending before "nothing pending" can be believed. */
export async function synced(page, timeout = 20_000) {
  await page.waitForTimeout(400);
  await page.waitForSelector('[data-testid="sync-indicator"][data-phase="idle"][data-pending="0"]', { timeout });
}

export async function serviceWorkerControls(page) {
  return page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    for (let i = 0; i < 50 && !navigator.serviceWorker.controller; i += 1) await new Promise((r) => setTimeout(r, 100));
    return !!navigator.serviceWorker.controller;
  });
}

/** test-results/screenshots/<size>-<name>.png, at the page's size and at the other size. */
export async function shootBoth(page, name) {
  const size = page.viewportSize();
  const phone = size.width < 640;
  const other = phone ? DESKTOP.viewport : PHONE.viewport;
  await page.waitForTimeout(150);
  await page.screenshot({ path: `${screenshots}/${phone ? "phone" : "desktop"}-${name}.png` });
  await page.setViewportSize(other);
  await page.waitForTimeout(250);
  await page.screenshot({ path: `${screenshots}/${phone ? "desktop" : "phone"}-${name}.png` });
  await page.setViewportSize(size);
  await page.waitForTimeout(150);
}

/** Open a record from a list screen by its name (the virtual list's title link). */
export async function openFromList(page, base, path, name) {
  await page.goto(`${base}/${path}`);
  await page.waitForSelector(`[data-testid="${path}-list"]`);
  await page.fill('input[type="search"]', name);
  await page.click(`[data-testid="${path}-list"] a:text-is("${name}")`);
  await page.waitForURL(new RegExp(`/${path}/[0-9a-f-]{36}$`));
}

export const idFromUrl = (page) => /([0-9a-f-]{36})(?:\/edit)?$/.exec(new URL(page.url()).pathname)?.[1];

/** Edit a lead through its form: `fill` types the changes, then the form is saved. */
export async function editLead(page, base, id, fill) {
  await page.goto(`${base}/leads/${id}/edit`);
  await page.waitForSelector("form[aria-label='Edit lead']");
  await fill();
  await page.click("button[type=submit]");
  await page.waitForURL(new RegExp(`/leads/${id}$`));
}

/** A record page's shown value of a field, and its badges ("waiting for review"...). */
export const field = (page, name) => page.textContent(`[data-field="${name}"]`);
export const badges = (page) => page.textContent('[data-testid="record-badges"]');
