// Reports: an admin opens Reports, runs the pipeline (its table shows what was just created),
// narrows the period (presets and custom dates, kept in the URL), downloads the CSV, and sees
// the offline notice; a non-admin sees neither admin-only report. Numbers are checked against
// the counts before this journey created its records, so other journeys' data does not matter.
import { readFile } from "node:fs/promises";
import { check, DESKTOP, eventually, openPages, PHONE, restAs, shootBoth, signIn, step } from "./lib.mjs";

const ADMIN_ONLY = ["User activity", "Sync health"];

/** The pipeline's count per "entity/status" from the REST API, as `who` sees it. */
async function pipelineCounts(rest) {
  const { json } = await rest.call("GET", "reports/pipeline");
  return Object.fromEntries(json.rows.map((r) => [`${r.entity}/${r.status}`, r.count]));
}

/** The report table's rows as text (desktop layout: one <tr> per row). */
const tableRows = (page) =>
  page.$$eval('[data-testid="report-table"] tbody tr', (rows) =>
    rows.map((r) => [...r.children].map((c) => c.textContent.trim())),
  );

/** How the app names an entity and a status: the tenant's config (an earlier journey may have
 * relabelled statuses or renamed records), else the defaults. */
async function namer(rest) {
  const { json: config } = await rest.call("GET", "config");
  const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  return {
    entity: (e) => config.nouns?.[e]?.singular || cap(e),
    status: (e, s) => config.labels?.[`${e}_status`]?.[s] || cap(s),
  };
}

async function expectPipeline(page, expected, names) {
  await page.waitForSelector('[data-testid="report"][data-phase="ready"]');
  await eventually(async () => {
    const rows = await tableRows(page);
    for (const [key, count] of Object.entries(expected)) {
      const [entity, status] = key.split("/");
      const row = rows.find((r) => r[0] === names.entity(entity) && r[1] === names.status(entity, status));
      check(row?.[2] === String(count), `${key}: table shows ${row?.[2]}, expected ${count}`);
    }
  }, 10_000);
}

async function openReports(page) {
  await page.locator('nav[aria-label="Main"]:visible >> text=Reports').click();
  await page.waitForSelector('[data-testid="reports-index"]');
}

export async function reportsJourney({ browser, base, api }) {
  const adminRest = await restAs(base, api.admin);
  const userRest = await restAs(base, api.user);
  const before = await pipelineCounts(adminRest);
  const names = await namer(adminRest);
  for (const lead_status of ["new", "new", "new", "contacted"]) {
    await adminRest.create("leads", { name: `Report lead ${lead_status}`, lead_source: "E2E reports", lead_status });
  }
  const won = await adminRest.create("leads", { name: "Report lead won", lead_source: "E2E reports" });
  await adminRest.create(`leads/${won.id}/convert`, {});
  const client = await adminRest.create("clients", { name: "Report Client Co", status: "active" });
  await adminRest.create("projects", {
    name: "Report project",
    client_id: client.id,
    project_status: "active",
    project_worth: "2500.00",
    value_type: "one_time",
  });
  await adminRest.create("subscriptions", {
    client_id: client.id,
    plan_name: "Support plan",
    price: "120.00",
    billing_cycle: "monthly",
    status: "active",
    start_date: `${new Date().getFullYear() - 1}-11-01`,
    renewal_date: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
  });
  const expected = {
    "lead/new": (before["lead/new"] ?? 0) + 3,
    "lead/contacted": (before["lead/contacted"] ?? 0) + 1,
    "lead/converted": (before["lead/converted"] ?? 0) + 1,
    "project/active": (before["project/active"] ?? 0) + 1,
  };

  const context = await browser.newContext({ ...DESKTOP, locale: "en-US", acceptDownloads: true });
  const page = await context.newPage();
  openPages.add(page);

  await step("reports: an admin sees every report, admin-only ones included", async () => {
    await signIn(page, base, api.admin);
    await openReports(page);
    for (const title of ["Pipeline", "Subscription income", "Upcoming renewals", ...ADMIN_ONLY]) {
      await page.waitForSelector(`[data-testid="reports-index"] a >> text="${title}"`);
    }
    await shootBoth(page, "reports-index");
  });

  await step("reports: the pipeline's table shows the records just created", async () => {
    await page.click('[data-testid="reports-index"] a >> text="Pipeline"');
    await page.waitForURL(/\/reports\/pipeline$/);
    await expectPipeline(page, expected, names);
    check((await page.locator('[data-testid="report-chart"]').count()) === 2, "pipeline: two charts expected");
    await shootBoth(page, "report-pipeline");
  });

  await step("reports: the period changes with presets and custom dates, in the URL", async () => {
    await page.selectOption('[data-testid="report-range"]', "this-year");
    await page.waitForURL(/\/reports\/pipeline\?range=this-year$/);
    // the period line changes when the new report arrives, not with the URL (and until then the
    // table and data-phase="ready" are the previous report's): the table is read after it
    const year = new Date().getFullYear();
    await eventually(async () =>
      check(
        (await page.textContent('[data-testid="report-period"]')).includes(`01/01/${year}`),
        "the period does not start on 1 January",
      ),
    );
    await expectPipeline(page, expected, names);
    await page.selectOption('[data-testid="report-range"]', "custom");
    await page.fill('input[type="date"] >> nth=0', "2001-01-01");
    await page.fill('input[type="date"] >> nth=1', "2001-12-31");
    await page.click("button:has-text('Apply dates')");
    await page.waitForURL(/start_date=2001-01-01&end_date=2001-12-31/);
    await expectPipeline(page, { "lead/new": 0, "lead/contacted": 0, "lead/converted": 0, "project/active": 0 }, names);
    await page.waitForSelector('[data-testid="report-empty"]');
    // back to the preset: the filters follow the URL
    await page.goBack();
    await page.waitForURL(/\/reports\/pipeline\?range=this-year$/);
    // the router re-renders after the URL has changed: the select may still say "custom"
    await eventually(async () =>
      check(
        (await page.inputValue('[data-testid="report-range"]')) === "this-year",
        "the period did not follow the URL",
      ),
    );
    await expectPipeline(page, expected, names);
    // the link is the report: opened afresh, it shows the same period
    await page.goto(`${base}/reports/pipeline?range=this-year`);
    await expectPipeline(page, expected, names);
  });

  await step("reports: Download CSV saves the report with the chosen period", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("button:has-text('Download CSV')"),
    ]);
    const year = new Date().getFullYear();
    check(
      new RegExp(`^pipeline_${year}-01-01_\\d{4}-\\d{2}-\\d{2}\\.csv$`).test(download.suggestedFilename()),
      `unexpected file name ${download.suggestedFilename()}`,
    );
    const csv = await readFile(await download.path(), "utf8");
    check(csv.includes('"Record","Status","Count","Worth (12 months)"'), "CSV header missing");
    check(csv.includes(`"lead","new","${expected["lead/new"]}"`), "CSV lead/new count wrong");
    check(csv.includes(`"project","active","${expected["project/active"]}"`), "CSV project/active count wrong");
  });

  await step("reports: each kind of chart, and the renewals list", async () => {
    for (const [path, name] of [
      ["subscriptions/income?range=this-year", "income"],
      ["lead-source", "lead-source"],
      ["revenue-forecast", "forecast"],
    ]) {
      await page.goto(`${base}/reports/${path}`);
      await page.waitForSelector('[data-testid="report"][data-phase="ready"] [data-testid="report-chart"] svg');
      await shootBoth(page, `report-${name}`);
    }
    await page.goto(`${base}/reports/subscriptions/upcoming-renewals`);
    await page.waitForSelector(
      '[data-testid="report"][data-phase="ready"] [data-testid="report-table"] >> text=Support plan',
    );
    await shootBoth(page, "report-renewals");
  });

  await step("reports: offline the report says it needs a connection; online it runs", async () => {
    await context.setOffline(true);
    await page.click("a:has-text('← Reports')");
    await page.click('[data-testid="reports-index"] a >> text="Conversion rate"');
    await page.waitForSelector('[data-testid="needs-connection"] >> text=This report needs a connection');
    check(await page.locator("button:has-text('Download CSV')").isDisabled(), "download enabled offline");
    await shootBoth(page, "report-offline");
    await context.setOffline(false);
    await page.waitForSelector('[data-testid="report"][data-phase="ready"] [data-testid="report-chart"]');
    await shootBoth(page, "report-conversion");
  });
  openPages.delete(page);
  await context.close();

  const phone = await browser.newContext({ ...PHONE, locale: "en-US" });
  const userPage = await phone.newPage();
  openPages.add(userPage);
  await step("reports: a non-admin sees no admin-only report, and only their own numbers", async () => {
    await userRest.create("leads", { name: "Field user's lead", lead_status: "new" });
    const theirs = await pipelineCounts(userRest);
    await signIn(userPage, base, api.user);
    await openReports(userPage);
    await userPage.waitForSelector('[data-testid="reports-index"] a >> text="Pipeline"');
    for (const title of ADMIN_ONLY) {
      check(
        (await userPage.locator(`[data-testid="reports-index"] a >> text="${title}"`).count()) === 0,
        `${title} is listed for a non-admin`,
      );
    }
    await shootBoth(userPage, "reports-index-user");
    await userPage.click('[data-testid="reports-index"] a >> text="Pipeline"');
    await userPage.setViewportSize(DESKTOP.viewport); // the desktop table, to read its rows
    await expectPipeline(
      userPage,
      {
        "lead/new": theirs["lead/new"],
        "lead/contacted": theirs["lead/contacted"],
        "project/active": theirs["project/active"],
      },
      names,
    );
    check(theirs["lead/new"] < expected["lead/new"], "the non-admin's pipeline counts the admin's leads");
    await userPage.goto(`${base}/reports/user-activity`);
    await userPage.waitForSelector("text=This report is for administrators.");
  });
  openPages.delete(userPage);
  await phone.close();
}
