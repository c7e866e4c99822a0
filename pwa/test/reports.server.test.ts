// Every one of the fourteen reports, from the real server: the response parses with the
// generated schema, the screen's view model renders it (its catalog entry matches the report's
// columns and summary), the numbers of records made here come through, a non-admin gets 403
// for the admin-only reports and sees none of the admin's records, and the CSV download holds
// the same rows. The test server's tenant is shared with other test files, so assertions are
// about records tagged by this run (its own lead source and client name).
import { beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { ApiClient, HttpError } from "../src/api/http";
import { crmConfig } from "../src/config/crmConfig";
import { ReportResponse } from "../src/contracts/zod";
import { REPORT_LIST, type ReportMeta, reportMeta } from "../src/screens/reports/catalog";
import { formatCell } from "../src/screens/reports/cells";
import { apiQuery, DEFAULT_FILTERS, isoDay, type ReportName, reportApiPath } from "../src/screens/reports/query";
import { buildReportView } from "../src/screens/reports/viewModel";
import { login, server } from "./helpers";

const hasServer = inject("server") !== null;
const config = crmConfig({ currency: "EUR", date_format: "D MMM YYYY" });
const Created = z.looseObject({ id: z.string() });
const TAG = `rpt-${Math.random().toString(36).slice(2, 8)}`;
const SOURCE = `Source ${TAG}`;
const CLIENT = `Client ${TAG}`;

async function client(who: { email: string; password: string }): Promise<ApiClient> {
  const session = await login(who);
  return new ApiClient({ baseUrl: server().url, getToken: () => session.access_token });
}

const run = (api: ApiClient, name: ReportName, query = new URLSearchParams()) =>
  api.request("GET", reportApiPath(name, query), undefined, ReportResponse);

const meta = (name: ReportName): ReportMeta => {
  const found = reportMeta(name);
  if (!found) throw new Error(`no catalog entry for ${name}`);
  return found;
};

const day = (offset: number) => isoDay(new Date(Date.now() + offset * 86_400_000));

describe.skipIf(!hasServer)("reports from the real server", () => {
  let admin: ApiClient;
  let user: ApiClient;

  beforeAll(async () => {
    admin = await client(server().admin);
    user = await client(server().user);
    const post = (path: string, body: unknown) => admin.request("POST", `/api/v1/${path}`, body, Created);
    for (const lead_status of ["new", "new", "qualified"]) {
      await post("leads", { name: `Lead ${TAG} ${lead_status}`, lead_source: SOURCE, lead_status });
    }
    const { id } = await post("clients", { name: CLIENT, status: "active" });
    await post("projects", {
      name: `Project ${TAG}`,
      client_id: id,
      project_status: "active",
      project_worth: "1200.00",
      value_type: "one_time",
      project_start: day(0),
    });
    await post("subscriptions", {
      client_id: id,
      plan_name: `Plan ${TAG}`,
      price: "50.00",
      billing_cycle: "monthly",
      status: "active",
      start_date: day(-40),
      renewal_date: day(10),
    });
    await post("interactions", {
      client_id: id,
      contact_date: new Date().toISOString(),
      summary: `Call back ${TAG}`,
      follow_up: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      followup_status: "pending",
    });
  });

  it.each(REPORT_LIST.map((m) => m.name))("%s parses and renders as the catalog describes it", async (name) => {
    const report = await run(admin, name);
    expect(report.report).toBe(name);
    const entry = meta(name);
    const view = buildReportView(report, entry, config);
    // every headline number is in the summary, and every summary number has a headline
    const summaryKeys = Object.keys(report.summary).filter((k) => k !== "truncated");
    expect(entry.stats.map((s) => s.key).sort()).toEqual(summaryKeys.sort());
    // the columns the catalog relabels or links exist in the report
    const keys = report.columns.map((c) => c.key);
    for (const key of [...Object.keys(entry.labels ?? {}), ...Object.keys(entry.links ?? {}), ...(entry.hide ?? [])]) {
      expect(keys, `${name}: column ${key}`).toContain(key);
    }
    expect(view.rows).toHaveLength(report.rows.length);
    for (const row of view.rows) expect(row.cells).toHaveLength(view.columns.length);
    // bars and lines plot rows; a funnel plots summary numbers
    for (const chart of view.charts.filter((c) => c.kind !== "funnel")) {
      expect(chart.data.length).toBeLessThanOrEqual(report.rows.length);
    }
  });

  it("brings the records made here through to the view's table", async () => {
    const sources = buildReportView(await run(admin, "lead-source"), meta("lead-source"), config);
    const ours = sources.rows.find((r) => r.cells[0]?.text === SOURCE);
    const header = sources.columns.map((c) => c.key);
    expect(ours?.cells[header.indexOf("leads")]?.text).toBe("3");
    expect(ours?.cells[header.indexOf("new")]?.text).toBe("2");
    expect(ours?.cells[header.indexOf("qualified")]?.text).toBe("1");

    const revenue = buildReportView(await run(admin, "revenue-by-client"), meta("revenue-by-client"), config);
    const client = revenue.rows.find((r) => r.cells[0]?.text === CLIENT);
    const cols = revenue.columns.map((c) => c.key);
    expect(client?.cells[0]?.href).toMatch(/^\/clients\/[0-9a-f-]{36}$/);
    expect(client?.cells[cols.indexOf("total")]?.text).toBe(formatCell("money", "1800.00", config));
    expect(client?.cells[cols.indexOf("arr")]?.text).toBe(formatCell("money", "600.00", config));

    const renewals = await run(admin, "subscriptions/upcoming-renewals");
    expect(renewals.rows.some((r) => r.plan_name === `Plan ${TAG}` && r.days_until === 10)).toBe(true);
    const tasks = await run(admin, "upcoming-tasks");
    expect(tasks.rows.some((r) => r.summary === `Call back ${TAG}` && r.parent_name === CLIENT)).toBe(true);
  });

  it("narrows the report to the dates of the query", async () => {
    const query = apiQuery(
      { ...DEFAULT_FILTERS, range: "custom", start: "2001-01-01", end: "2001-12-31" },
      new Date(),
      "trailing",
    );
    const old = await run(admin, "lead-source", query);
    expect(old.params.start_date).toBe("2001-01-01");
    expect(old.rows).toEqual([]);
    expect(buildReportView(old, meta("lead-source"), config).empty).toBe(meta("lead-source").empty);
  });

  it("refuses the admin-only reports to a non-admin, and shows them only what they see", async () => {
    for (const entry of REPORT_LIST) {
      const outcome = await run(user, entry.name).then(
        () => 200,
        (err: unknown) => (err instanceof HttpError ? err.status : -1),
      );
      expect(outcome, entry.name).toBe(entry.admin ? 403 : 200);
    }
    const theirs = await run(user, "lead-source");
    expect(theirs.rows.some((r) => r.lead_source === SOURCE)).toBe(false);
  });

  it("downloads the same rows as CSV", async () => {
    const path = reportApiPath("lead-source", apiQuery(DEFAULT_FILTERS, new Date(), "trailing", "csv"));
    const file = await admin.download(path, "lead-source.csv");
    expect(file.filename).toMatch(/^lead-source_.*\.csv$/);
    const text = await file.blob.text();
    expect(text).toContain('"Lead source","Leads"');
    expect(text).toContain(`"${SOURCE}","3","2","0","1","0","0"`);
  });
});
