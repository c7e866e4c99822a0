// Report cells as people read them. The server sends typed cells (contracts/reports.md): money
// and percentages as decimal strings, dates as YYYY-MM-DD, timestamps as ISO UTC. Money and dates
// go through the tenant config (currency, date format); closed-list values (statuses, billing
// cycles, interaction types) through its labels.

import type { CRMConfig } from "../../config/crmConfig";
import type { ReportColumn } from "../../contracts/zod";

export type CellType = ReportColumn["type"];

export const NUMERIC: ReadonlySet<CellType> = new Set(["integer", "money", "decimal", "percent"]);

/** A cell as a number for a chart (null, "" and anything unreadable are 0). */
export function cellNumber(value: unknown): number {
  if (typeof value === "number") return Number.isFinite(value) ? value : 0;
  if (typeof value !== "string" || value.trim() === "") return 0;
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 2 });

/** One cell's text; an empty value (a rate over nothing, no date) is "—". */
export function formatCell(type: CellType, value: unknown, config: CRMConfig): string {
  if (value === null || value === undefined || value === "") return "—";
  switch (type) {
    case "integer":
      return integer.format(cellNumber(value));
    case "decimal":
      return decimal.format(cellNumber(value));
    case "percent":
      // "33.33" means 33.33 %
      return percent.format(cellNumber(value) / 100);
    case "money":
      return config.money(value);
    case "date":
      return config.date(value);
    case "datetime":
      return config.dateTime(value);
    case "boolean":
      return value === true ? "Yes" : value === false ? "No" : String(value);
    default:
      return String(value);
  }
}

/** A short number for a chart's axis ("1.2K", "$3.4M"). */
export function formatTick(type: CellType, value: number, config: CRMConfig): string {
  const options: Intl.NumberFormatOptions = { notation: "compact", maximumFractionDigits: 1 };
  if (type === "percent") return percent.format(value / 100);
  if (type === "money") {
    try {
      return new Intl.NumberFormat(undefined, { ...options, style: "currency", currency: config.currency }).format(
        value,
      );
    } catch {
      // an unknown currency code: the plain number
    }
  }
  return new Intl.NumberFormat(undefined, options).format(value);
}

/** "2026-03" as "Mar 2026" (the income report's months). */
export function formatMonth(value: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  if (!match) return value;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, 1);
  return date.toLocaleDateString(undefined, { month: "short", year: "numeric" });
}
