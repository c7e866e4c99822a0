// A report response as the screen shows it: headline numbers, charts, and the table of the same
// numbers, every cell already formatted through the tenant config. Pure (no React), so every
// report's real response is checked against it in test/reports.server.test.ts.

import type { CRMConfig } from "../../config/crmConfig";
import { CLOSED_LISTS } from "../../config/tenantConfig";
import type { ReportColumn, ReportResponse } from "../../contracts/zod";
import { TOP_ENTITIES, type TopEntity } from "../../records/paths";
import type { BarDef, ChartDef, FunnelDef, LineDef, ReportMeta, Row } from "./catalog";
import { textOf } from "./catalog";
import { cellNumber, formatCell, formatMonth, formatTick, NUMERIC } from "./cells";
import type { ChartSpec, Datum, Series, Stat } from "./charts/types";

export interface ViewColumn {
  key: string;
  label: string;
  numeric: boolean;
}

export interface ViewCell {
  text: string;
  href: string | null;
}

export interface ViewRow {
  key: string;
  cells: ViewCell[];
}

export interface ReportView {
  title: string;
  /** the days the report covers, as the server resolved them */
  period: string;
  generatedAt: string;
  stats: Stat[];
  /** the charts with something to draw */
  charts: ChartSpec[];
  columns: ViewColumn[];
  rows: ViewRow[];
  /** said instead of the charts (nothing to chart) or the table (no rows) */
  empty: string | null;
  notices: string[];
}

const isEntity = (value: unknown): value is TopEntity => TOP_ENTITIES.includes(value as TopEntity);

/** One cell's text: closed-list values through the tenant's labels, the rest by type. */
export function cellText(meta: ReportMeta, column: ReportColumn, row: Row, config: CRMConfig): string {
  const value = row[column.key];
  if ((value === null || value === undefined || value === "") && meta.blank?.[column.key]) {
    return meta.blank[column.key] ?? "";
  }
  const label = meta.labels?.[column.key];
  if (label && typeof value === "string" && value) {
    if (label === "entity") return isEntity(value) ? config.noun(value) : value;
    if (label === "month") return formatMonth(value);
    return config.label(typeof label === "function" ? label(row) : label, value);
  }
  return formatCell(column.type, value, config);
}

function columnLabel(meta: ReportMeta, column: ReportColumn, config: CRMConfig): string {
  const list = meta.statusColumns;
  if (list && (CLOSED_LISTS[list] as readonly string[]).includes(column.key)) return config.label(list, column.key);
  return column.label;
}

function periodText(report: ReportResponse, config: CRMConfig): string {
  const { start_date: start, end_date: end } = report.params;
  return start ? `${config.date(start)} – ${config.date(end)}` : `Up to ${config.date(end)}`;
}

interface Context {
  report: ReportResponse;
  meta: ReportMeta;
  config: CRMConfig;
  column(key: string): ReportColumn;
}

function series(ctx: Context, keys: string[], tones: BarDef["tones"]): Series[] {
  return keys.map((key, i) => ({
    key,
    label: columnLabel(ctx.meta, ctx.column(key), ctx.config),
    tone: tones?.[i] ?? "brand",
  }));
}

function datum(ctx: Context, row: Row, x: string[], y: string[]): Datum {
  const text = (key: string) => cellText(ctx.meta, ctx.column(key), row, ctx.config);
  return { label: x.map(text).join(" · "), values: y.map((k) => cellNumber(row[k])), texts: y.map(text) };
}

function barChart(ctx: Context, def: BarDef): ChartSpec {
  const matching = ctx.report.rows.filter((row) => def.where?.(row) ?? true);
  const shown = def.top ? matching.slice(0, def.top) : matching;
  const x = typeof def.x === "string" ? [def.x] : def.x;
  const data = shown.map((row) => {
    const d = datum(ctx, row, x, def.y);
    const tone = def.tone?.(row);
    return {
      ...d,
      ...(def.total ? { total: cellText(ctx.meta, ctx.column(def.total), row, ctx.config) } : {}),
      ...(tone ? { tone } : {}),
    };
  });
  const note =
    shown.length < matching.length
      ? `The first ${shown.length} of ${matching.length} are charted; the table has them all.`
      : undefined;
  return {
    kind: "bar",
    title: textOf(def.title, ctx.config),
    mode: def.mode ?? "stacked",
    series: series(ctx, def.y, def.tones),
    data,
    ...(note ? { note } : {}),
  };
}

function lineChart(ctx: Context, def: LineDef): ChartSpec {
  const type = ctx.column(def.y[0] ?? def.x).type;
  return {
    kind: "line",
    title: textOf(def.title, ctx.config),
    series: series(ctx, def.y, ["brand", "amber"]),
    data: ctx.report.rows.map((row) => datum(ctx, row, [def.x], def.y)),
    tick: (value) => formatTick(type, value, ctx.config),
  };
}

function funnel(ctx: Context, def: FunnelDef): ChartSpec {
  const data = def.stages.map((stage) => {
    const value = ctx.report.summary[stage.key];
    return {
      label: textOf(stage.label, ctx.config),
      values: [cellNumber(value)],
      texts: [formatCell("integer", value, ctx.config)],
    };
  });
  return {
    kind: "funnel",
    title: textOf(def.title, ctx.config),
    series: [{ key: "count", label: "", tone: "brand" }],
    data,
  };
}

function chart(ctx: Context, def: ChartDef): ChartSpec {
  if (def.kind === "bar") return barChart(ctx, def);
  if (def.kind === "line") return lineChart(ctx, def);
  return funnel(ctx, def);
}

/** Something to draw: at least one value above 0. */
const hasValues = (spec: ChartSpec): boolean => spec.data.some((d) => d.values.some((v) => v > 0));

export function buildReportView(report: ReportResponse, meta: ReportMeta, config: CRMConfig): ReportView {
  const byKey = new Map(report.columns.map((c) => [c.key, c]));
  const ctx: Context = {
    report,
    meta,
    config,
    column(key) {
      const found = byKey.get(key);
      if (!found) throw new Error(`report ${report.report} has no column ${key}`);
      return found;
    },
  };
  const shown = report.columns.filter((c) => c.type !== "uuid" && !meta.hide?.includes(c.key));
  const idColumn = report.columns.find((c) => c.type === "uuid");
  const rows = report.rows.map((row, i) => ({
    key: `${i}-${idColumn ? String(row[idColumn.key] ?? "") : ""}`,
    cells: shown.map((c) => ({ text: cellText(meta, c, row, config), href: meta.links?.[c.key]?.(row) ?? null })),
  }));
  const charts = meta.charts.map((def) => chart(ctx, def)).filter(hasValues);
  const nothing = report.rows.length === 0 || (meta.charts.length > 0 && charts.length === 0);
  return {
    title: meta.title,
    period: periodText(report, config),
    generatedAt: config.dateTime(report.params.generated_at),
    stats: meta.stats.map((s) => ({
      key: s.key,
      label: textOf(s.label, config),
      value: formatCell(s.type, report.summary[s.key], config),
    })),
    charts,
    columns: shown.map((c) => ({ key: c.key, label: columnLabel(meta, c, config), numeric: NUMERIC.has(c.type) })),
    rows,
    empty: nothing ? meta.empty : null,
    notices:
      report.summary.truncated === true
        ? [`Only the first ${report.rows.length.toLocaleString()} rows are listed; the numbers above cover them all.`]
        : [],
  };
}
