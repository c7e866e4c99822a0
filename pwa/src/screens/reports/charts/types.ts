// What the chart components draw: plain data, already labelled and formatted by the report's
// view model (so the charts know nothing about reports, money or the tenant config).

/** A series colour; each maps to one fill/stroke class (charts/tones.ts). */
export type Tone = "brand" | "sky" | "amber" | "red" | "slate" | "green";

export interface Series {
  key: string;
  label: string;
  tone: Tone;
}

/** One category (a bar, a month, a funnel stage): a value per series and its text. */
export interface Datum {
  label: string;
  values: number[];
  texts: string[];
  /** the text of the whole category when its series add up (a stacked bar's end) */
  total?: string;
  /** this category's colour when the chart has one series (e.g. overdue buckets in red) */
  tone?: Tone;
}

interface ChartBase {
  title: string;
  series: Series[];
  data: Datum[];
  /** said under the chart (e.g. "The 12 largest of 40; every client is in the table.") */
  note?: string;
}

/** Horizontal bars: a label over each bar, so long names fit a phone. */
export interface BarChartSpec extends ChartBase {
  kind: "bar";
  /** stacked: the series add up to the total shown; grouped: one bar per series */
  mode: "stacked" | "grouped";
}

/** A value over time (categories in order), each series a line; the first one also an area. */
export interface LineChartSpec extends ChartBase {
  kind: "line";
  /** a short axis label for a value ("$1.2K") */
  tick(value: number): string;
}

/** Stages that narrow (created → converted), each as a share of the first. */
export interface FunnelSpec extends ChartBase {
  kind: "funnel";
}

export type ChartSpec = BarChartSpec | LineChartSpec | FunnelSpec;

/** A headline number ("big number") of a report. */
export interface Stat {
  key: string;
  label: string;
  value: string;
}
