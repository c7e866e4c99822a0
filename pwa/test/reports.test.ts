// Reports, without a server: chart arithmetic, cell formatting through the tenant config, the
// filters <-> URL <-> API query mapping, and the view model of a report response.
import { describe, expect, it } from "vitest";
import { crmConfig } from "../src/config/crmConfig";
import type { ReportResponse } from "../src/contracts/zod";
import { REPORT_LIST, reportMeta, reportsFor } from "../src/screens/reports/catalog";
import { cellNumber, formatCell, formatMonth, formatTick } from "../src/screens/reports/cells";
import {
  areaPath,
  barSegments,
  chartMax,
  clip,
  labelStep,
  linePath,
  niceMax,
  pointX,
  pointY,
  shareOf,
  showLabel,
  ticks,
} from "../src/screens/reports/charts/scale";
import {
  apiQuery,
  DEFAULT_FILTERS,
  filtersToSearch,
  parseFilters,
  presetRange,
  presetsFor,
  reportApiPath,
} from "../src/screens/reports/query";
import { buildReportView } from "../src/screens/reports/viewModel";

const config = crmConfig({
  currency: "EUR",
  date_format: "DD.MM.YYYY",
  labels: { lead_status: { new: "Fresh" }, project_status: { active: "Running" } },
});
const num = (n: number, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(undefined, options).format(n);

describe("chart scale", () => {
  it("rounds an axis up to 1, 2, 2.5 or 5 times a power of ten", () => {
    expect([0, -3, Number.NaN, 1, 7, 10, 11, 120, 250, 251, 0.3, 4999].map(niceMax)).toEqual([
      1, 1, 1, 1, 10, 10, 20, 200, 250, 500, 0.5, 5000,
    ]);
    expect(ticks(7)).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(ticks(0, 2)).toEqual([0, 0.5, 1]);
  });

  it("fits the largest sum when stacked and the largest value when grouped", () => {
    const data = [
      { label: "a", values: [3, 4], texts: [] },
      { label: "b", values: [6, -2], texts: [] },
    ];
    expect(chartMax(data, true)).toBe(7);
    expect(chartMax(data, false)).toBe(6);
    expect(chartMax([], true)).toBe(0);
  });

  it("lays stacked segments end to end and grouped ones from zero", () => {
    expect(barSegments([25, 25, 50], 200, true)).toEqual([
      { offset: 0, width: 12.5 },
      { offset: 12.5, width: 12.5 },
      { offset: 25, width: 25 },
    ]);
    expect(barSegments([10, 20], 40, false)).toEqual([
      { offset: 0, width: 25 },
      { offset: 0, width: 50 },
    ]);
    // nothing to scale and negative values draw nothing
    expect(barSegments([5], 0, true)).toEqual([{ offset: 0, width: 0 }]);
    expect(barSegments([-5, 10], 10, true)).toEqual([
      { offset: 0, width: 0 },
      { offset: 0, width: 100 },
    ]);
  });

  it("places points across the width and values between top and bottom", () => {
    expect(pointX(0, 1)).toBe(50);
    expect([0, 1, 2].map((i) => pointX(i, 3, 0))).toEqual([0, 50, 100]);
    expect(pointY(0, 10, 20, 120)).toBe(120);
    expect(pointY(10, 10, 20, 120)).toBe(20);
    expect(pointY(50, 10, 20, 120)).toBe(20); // clamped to the top
    expect(pointY(5, 0, 20, 120)).toBe(120);
    expect(linePath([0, 10], 10, 0, 100)).toBe("M30,100 L970,0");
    expect(areaPath([0, 10], 10, 0, 100)).toBe("M30,100 L970,0 L970,100 L30,100 Z");
    expect(areaPath([], 10, 0, 100)).toBe("");
  });

  it("labels every k-th category, shares and clipped labels", () => {
    expect(labelStep(4, 4)).toBe(1);
    expect(labelStep(13, 4)).toBe(4);
    // 11 months, every 3rd: 0, 3, 6 and the last; 9 would crowd 10
    expect([...Array(11).keys()].filter((i) => showLabel(i, 11, 3))).toEqual([0, 3, 6, 10]);
    expect([...Array(3).keys()].filter((i) => showLabel(i, 3, 1))).toEqual([0, 1, 2]);
    expect(shareOf(1, 3)).toBe(33);
    expect(shareOf(5, 0)).toBe(0);
    expect(clip("Short", 10)).toBe("Short");
    expect(clip("A rather long client name", 10)).toBe("A rather…");
  });
});

describe("report cells", () => {
  it("reads numbers from decimal strings, and nothing as 0", () => {
    expect([cellNumber("1250.50"), cellNumber(3), cellNumber(null), cellNumber("x"), cellNumber("")]).toEqual([
      1250.5, 3, 0, 0, 0,
    ]);
  });

  it("formats money and dates through the tenant config", () => {
    expect(formatCell("money", "1250.00", config)).toBe(num(1250, { style: "currency", currency: "EUR" }));
    expect(formatCell("date", "2026-03-09", config)).toBe("09.03.2026");
    expect(formatCell("datetime", "2026-03-09T12:00:00Z", config)).toMatch(/^\d{2}\.0[39]\.2026 \d{2}:\d{2}$/);
  });

  it("formats percentages (33.33 means 33.33 %), counts, booleans and empty cells", () => {
    expect(formatCell("percent", "33.33", config)).toBe(num(0.3333, { style: "percent", maximumFractionDigits: 2 }));
    expect(formatCell("integer", 12345, config)).toBe(num(12345));
    expect(formatCell("decimal", "2.5", config)).toBe(num(2.5));
    expect(formatCell("boolean", true, config)).toBe("Yes");
    expect(formatCell("boolean", false, config)).toBe("No");
    expect(formatCell("percent", null, config)).toBe("—");
    expect(formatCell("string", "", config)).toBe("—");
  });

  it("shortens axis values and names months", () => {
    expect(formatTick("money", 1500, config)).toBe(
      num(1500, { notation: "compact", maximumFractionDigits: 1, style: "currency", currency: "EUR" }),
    );
    expect(formatTick("integer", 2_000_000, config)).toBe(num(2_000_000, { notation: "compact" }));
    expect(formatMonth("2026-02")).toBe(
      new Date(2026, 1, 1).toLocaleDateString(undefined, { month: "short", year: "numeric" }),
    );
    expect(formatMonth("not a month")).toBe("not a month");
  });
});

describe("report filters, URL and API query", () => {
  const today = new Date(2026, 4, 15); // 15 May 2026

  it("round-trips filters through the screen URL", () => {
    const custom = { range: "custom" as const, start: "2026-01-01", end: "2026-03-31", userId: null };
    expect(parseFilters(filtersToSearch(custom))).toEqual(custom);
    const preset = {
      ...DEFAULT_FILTERS,
      range: "this-quarter" as const,
      userId: "5b0a3c8e-0000-4000-8000-000000000001",
    };
    expect(filtersToSearch(preset).toString()).toBe("range=this-quarter&user_id=5b0a3c8e-0000-4000-8000-000000000001");
    expect(parseFilters(filtersToSearch(preset))).toEqual(preset);
    expect(filtersToSearch(DEFAULT_FILTERS).toString()).toBe("");
  });

  it("drops malformed values (the report's default instead)", () => {
    expect(parseFilters(new URLSearchParams("range=forever&start_date=yesterday&user_id=bob"))).toEqual(
      DEFAULT_FILTERS,
    );
    // dates win over a preset: a custom range
    expect(parseFilters(new URLSearchParams("range=this-year&end_date=2026-02-01"))).toEqual({
      range: "custom",
      start: null,
      end: "2026-02-01",
      userId: null,
    });
  });

  it("turns presets into days: to date looking back, whole periods looking ahead", () => {
    expect(presetRange("default", today, "trailing")).toBeNull();
    expect(presetRange("this-month", today, "trailing")).toEqual({ start: "2026-05-01", end: "2026-05-15" });
    expect(presetRange("this-month", today, "forward")).toEqual({ start: "2026-05-01", end: "2026-05-31" });
    expect(presetRange("last-30-days", today, "trailing")).toEqual({ start: "2026-04-16", end: "2026-05-15" });
    expect(presetRange("next-30-days", today, "forward")).toEqual({ start: "2026-05-15", end: "2026-06-13" });
    expect(presetRange("this-quarter", today, "forward")).toEqual({ start: "2026-04-01", end: "2026-06-30" });
    expect(presetRange("this-year", today, "trailing")).toEqual({ start: "2026-01-01", end: "2026-05-15" });
    expect(presetRange("this-year", new Date(2026, 11, 31), "forward")).toEqual({
      start: "2026-01-01",
      end: "2026-12-31",
    });
    expect(presetsFor("trailing")).not.toContain("next-30-days");
    expect(presetsFor("forward")).not.toContain("last-30-days");
  });

  it("builds the API query and path", () => {
    expect(apiQuery(DEFAULT_FILTERS, today, "trailing").toString()).toBe("");
    const user = "5b0a3c8e-0000-4000-8000-000000000001";
    expect(
      apiQuery({ ...DEFAULT_FILTERS, range: "this-month", userId: user }, today, "trailing", "csv").toString(),
    ).toBe(`start_date=2026-05-01&end_date=2026-05-15&user_id=${user}&format=csv`);
    const open = { range: "custom" as const, start: null, end: "2026-02-01", userId: null };
    expect(apiQuery(open, today, "trailing").toString()).toBe("end_date=2026-02-01");
    expect(reportApiPath("subscriptions/income", new URLSearchParams("format=xlsx"))).toBe(
      "/api/v1/reports/subscriptions/income?format=xlsx",
    );
    expect(reportApiPath("pipeline", new URLSearchParams())).toBe("/api/v1/reports/pipeline");
  });
});

const T = "2026-05-15T10:00:00Z";
const pipeline = (counts: number[], truncated = false): ReportResponse => ({
  report: "pipeline",
  params: { start_date: null, end_date: "2026-05-15", user_id: null, generated_at: T },
  columns: [
    { key: "entity", label: "Record", type: "string" },
    { key: "status", label: "Status", type: "string" },
    { key: "count", label: "Count", type: "integer" },
    { key: "worth", label: "Worth (12 months)", type: "money" },
  ],
  rows: [
    { entity: "lead", status: "new", count: counts[0], worth: "0.00" },
    { entity: "lead", status: "qualified", count: counts[1], worth: "1200.00" },
    { entity: "project", status: "active", count: counts[2], worth: "5000.00" },
  ],
  summary: {
    leads: 3,
    lead_worth: "1200.00",
    projects: 1,
    project_worth: "5000.00",
    ...(truncated ? { truncated } : {}),
  },
  chart: { type: "bar", x: "status", y: ["count"] },
});

describe("report view model", () => {
  it("labels statuses and nouns through the tenant config, in the table and the charts", () => {
    const meta = reportMeta("pipeline");
    if (!meta) throw new Error("no pipeline");
    const view = buildReportView(pipeline([2, 1, 1]), meta, config);
    expect(view.columns.map((c) => [c.label, c.numeric])).toEqual([
      ["Record", false],
      ["Status", false],
      ["Count", true],
      ["Worth (12 months)", true],
    ]);
    expect(view.rows.map((r) => r.cells.map((c) => c.text))).toEqual([
      ["Lead", "Fresh", num(2), formatCell("money", "0.00", config)],
      ["Lead", "Qualified", num(1), formatCell("money", "1200.00", config)],
      ["Project", "Running", num(1), formatCell("money", "5000.00", config)],
    ]);
    expect(view.charts.map((c) => [c.title, c.data.map((d) => [d.label, d.values[0]])])).toEqual([
      [
        "Leads by status",
        [
          ["Fresh", 2],
          ["Qualified", 1],
        ],
      ],
      ["Projects by status", [["Running", 1]]],
    ]);
    expect(view.stats.find((s) => s.key === "project_worth")?.value).toBe(formatCell("money", "5000.00", config));
    expect(view.period).toBe("Up to 15.05.2026");
    expect(view.empty).toBeNull();
    expect(view.notices).toEqual([]);
  });

  it("says the period is empty when nothing is above zero, and when rows were cut", () => {
    const meta = reportMeta("pipeline");
    if (!meta) throw new Error("no pipeline");
    const view = buildReportView(pipeline([0, 0, 0], true), meta, config);
    expect(view.charts).toEqual([]);
    expect(view.empty).toBe(meta.empty);
    expect(view.rows).toHaveLength(3); // the zeros are still numbers worth a table
    expect(view.notices[0]).toMatch(/first 3 rows/);
  });

  it("hides id columns, links names to their records and fills blank cells", () => {
    const meta = reportMeta("converted-leads");
    if (!meta) throw new Error("no converted-leads");
    const lead = "0a000000-0000-4000-8000-00000000000a";
    const response: ReportResponse = {
      report: "converted-leads",
      params: { start_date: "2026-02-15", end_date: "2026-05-15", user_id: null, generated_at: T },
      columns: [
        { key: "lead_id", label: "Lead id", type: "uuid" },
        { key: "lead", label: "Lead", type: "string" },
        { key: "lead_source", label: "Lead source", type: "string" },
        { key: "client_id", label: "Client id", type: "uuid" },
        { key: "client", label: "Client", type: "string" },
        { key: "traceable", label: "Client points back to the lead", type: "boolean" },
      ],
      rows: [{ lead_id: lead, lead: "Harbor", lead_source: null, client_id: null, client: null, traceable: false }],
      summary: { converted: 1, traceable: 0, avg_days_to_convert: null, truncated: false },
      chart: { type: "table", x: null, y: [] },
    };
    const view = buildReportView(response, meta, config);
    expect(view.columns.map((c) => c.key)).toEqual(["lead", "lead_source", "client", "traceable"]);
    expect(view.rows[0]?.cells).toEqual([
      { text: "Harbor", href: `/leads/${lead}` },
      { text: "No source", href: null },
      { text: "Not available", href: null },
      { text: "No", href: null },
    ]);
    expect(view.period).toBe("15.02.2026 – 15.05.2026");
    expect(view.charts).toEqual([]);
  });

  it("refuses a chart of a column the report does not have (catalog drift)", () => {
    const meta = reportMeta("pipeline");
    if (!meta) throw new Error("no pipeline");
    const broken = { ...pipeline([1, 1, 1]), columns: pipeline([1, 1, 1]).columns.filter((c) => c.key !== "count") };
    expect(() => buildReportView(broken, meta, config)).toThrow(/no column count/);
  });
});

describe("report catalog", () => {
  it("has the fourteen reports, two of them for admins only", () => {
    expect(REPORT_LIST).toHaveLength(14);
    expect(reportsFor(true)).toHaveLength(14);
    expect(reportsFor(false).map((r) => r.name)).not.toContain("user-activity");
    expect(reportsFor(false).map((r) => r.name)).not.toContain("sync-health");
    expect(reportsFor(false)).toHaveLength(12);
    expect(reportMeta("subscriptions/income")?.title).toBe("Subscription income");
    expect(reportMeta("nope")).toBeNull();
  });
});
