// The fourteen reports as the app presents them: title, group, who sees them, default window,
// headline numbers (from the report's `summary`), charts and how cells read. Every number comes
// from the server's generic report shape (contracts/reports.md); this file only says how to show
// it. Keyed by the contract's report names, so a report added to the contract fails the build here.

import type { CRMConfig } from "../../config/crmConfig";
import type { ClosedList } from "../../config/tenantConfig";
import { recordPath, type TopEntity } from "../../records/paths";
import type { CellType } from "./cells";
import type { Tone } from "./charts/types";
import type { ReportName, ReportWindow } from "./query";

export type Row = Record<string, unknown>;
/** a fixed text, or one that depends on the tenant's labels and nouns */
export type Text = string | ((config: CRMConfig) => string);

/** How a string column's values read: a closed list's label, an entity noun, a month. */
export type CellLabel = ClosedList | "entity" | "month" | ((row: Row) => ClosedList);

export interface StatDef {
  key: string;
  label: Text;
  type: CellType;
}

export interface BarDef {
  kind: "bar";
  title: Text;
  /** the category: a column, or several read together ("Lead · Qualified") */
  x: string | string[];
  y: string[];
  /** stacked: y adds up to `total` (a column shown at the bar's end) */
  mode?: "stacked" | "grouped";
  total?: string;
  where?: (row: Row) => boolean;
  /** chart the first `top` rows only (the table has them all) */
  top?: number;
  tone?: (row: Row) => Tone | undefined;
  /** series colours, in y order */
  tones?: Tone[];
}

export interface LineDef {
  kind: "line";
  title: Text;
  x: string;
  y: string[];
}

export interface FunnelDef {
  kind: "funnel";
  title: Text;
  /** summary keys, widest first */
  stages: { key: string; label: Text }[];
}

export type ChartDef = BarDef | LineDef | FunnelDef;

export type ReportGroup = "Sales" | "Money" | "Work" | "Administration";

export interface ReportMeta {
  name: ReportName;
  title: string;
  blurb: string;
  group: ReportGroup;
  /** the server answers 403 to anyone else */
  admin?: boolean;
  window: ReportWindow;
  /** what the report covers without dates (the server's default window) */
  defaultRange: string;
  stats: StatDef[];
  charts: ChartDef[];
  labels?: Record<string, CellLabel>;
  /** the text of an empty cell of this column ("No source") */
  blank?: Record<string, string>;
  /** columns whose keys are values of a closed list (their headers get its labels) */
  statusColumns?: ClosedList;
  /** cells that open a record */
  links?: Record<string, (row: Row) => string | null>;
  /** columns left off the screen (still in the downloads); uuid columns always are */
  hide?: string[];
  /** said when there are no rows */
  empty: string;
}

const noun =
  (entity: TopEntity, plural = true): Text =>
  (config) =>
    config.noun(entity, plural);
const status =
  (list: ClosedList, value: string): Text =>
  (config) =>
    config.label(list, value);
const byEntity =
  (key: string) =>
  (row: Row): ClosedList =>
    row[key] === "lead" ? "lead_status" : "project_status";
const link =
  (entity: TopEntity | ((row: Row) => TopEntity), idKey: string) =>
  (row: Row): string | null => {
    const id = row[idKey];
    return typeof id === "string" ? recordPath(typeof entity === "string" ? entity : entity(row), id) : null;
  };
const isLead = (row: Row) => row.entity === "lead";
const NO_SOURCE = { lead_source: "No source" };

const FOLLOW_UP_TONES: Record<string, Tone> = {
  overdue_over_30d: "red",
  overdue_8_30d: "red",
  overdue_0_7d: "amber",
};

const CATALOG: Record<ReportName, Omit<ReportMeta, "name">> = {
  pipeline: {
    title: "Pipeline",
    blurb: "Leads and projects by status, with their 12-month worth.",
    group: "Sales",
    window: "trailing",
    defaultRange: "All time",
    stats: [
      { key: "leads", label: noun("lead"), type: "integer" },
      { key: "lead_worth", label: (c) => `${c.noun("lead")} worth (12 months)`, type: "money" },
      { key: "projects", label: noun("project"), type: "integer" },
      { key: "project_worth", label: (c) => `${c.noun("project")} worth (12 months)`, type: "money" },
    ],
    charts: [
      { kind: "bar", title: (c) => `${c.noun("lead", true)} by status`, x: "status", y: ["count"], where: isLead },
      {
        kind: "bar",
        title: (c) => `${c.noun("project", true)} by status`,
        x: "status",
        y: ["count"],
        where: (row) => !isLead(row),
      },
    ],
    labels: { entity: "entity", status: byEntity("entity") },
    empty: "Nothing in this period.",
  },
  "lead-source": {
    title: "Lead sources",
    blurb: "Where leads come from, and how far each source's leads got.",
    group: "Sales",
    window: "trailing",
    defaultRange: "Last 90 days",
    stats: [
      { key: "leads", label: noun("lead"), type: "integer" },
      { key: "sources", label: "Sources", type: "integer" },
    ],
    charts: [
      {
        kind: "bar",
        title: (c) => `${c.noun("lead", true)} by source and status`,
        x: "lead_source",
        y: ["new", "contacted", "qualified", "lost", "converted"],
        mode: "stacked",
        total: "leads",
        top: 12,
        tones: ["sky", "amber", "brand", "slate", "green"],
      },
    ],
    blank: NO_SOURCE,
    statusColumns: "lead_status",
    empty: "No leads were created in this period.",
  },
  "conversion-rate": {
    title: "Conversion rate",
    blurb: "How many of the leads created in the period became clients.",
    group: "Sales",
    window: "trailing",
    defaultRange: "Last 90 days",
    stats: [
      { key: "conversion_rate", label: "Conversion rate", type: "percent" },
      { key: "leads", label: (c) => `${c.noun("lead", true)} created`, type: "integer" },
      { key: "converted", label: status("lead_status", "converted"), type: "integer" },
      { key: "avg_days_to_convert", label: "Average days to convert", type: "decimal" },
    ],
    charts: [
      {
        kind: "funnel",
        title: "From created to converted",
        stages: [
          { key: "leads", label: (c) => `${c.noun("lead", true)} created` },
          { key: "converted", label: status("lead_status", "converted") },
        ],
      },
      { kind: "bar", title: "Conversion rate by source", x: "lead_source", y: ["conversion_rate"], top: 12 },
    ],
    blank: NO_SOURCE,
    empty: "No leads were created in this period.",
  },
  "revenue-by-client": {
    title: "Revenue by client",
    blurb: "Project revenue and subscription income (ARR) per client.",
    group: "Money",
    window: "trailing",
    defaultRange: "Last 90 days",
    stats: [
      { key: "total", label: "Total (12 months)", type: "money" },
      { key: "project_revenue", label: "Project revenue", type: "money" },
      { key: "mrr", label: "MRR", type: "money" },
      { key: "arr", label: "ARR", type: "money" },
      { key: "clients", label: noun("client"), type: "integer" },
    ],
    charts: [
      {
        kind: "bar",
        title: (c) => `Revenue by ${c.noun("client").toLowerCase()}`,
        x: "client",
        y: ["project_revenue", "arr"],
        mode: "stacked",
        total: "total",
        top: 12,
        tones: ["brand", "sky"],
      },
    ],
    labels: { status: "client_status" },
    links: { client: link("client", "client_id") },
    empty: "No revenue in this period.",
  },
  "user-activity": {
    title: "User activity",
    blurb: "Changes each user made, by kind, from the activity log.",
    group: "Administration",
    admin: true,
    window: "trailing",
    defaultRange: "Last 90 days",
    stats: [
      { key: "actions", label: "Changes", type: "integer" },
      { key: "active_users", label: "Users who made changes", type: "integer" },
      { key: "users", label: "Users", type: "integer" },
    ],
    charts: [{ kind: "bar", title: "Changes per user", x: "user", y: ["total"], top: 15 }],
    empty: "No users.",
  },
  "follow-ups": {
    title: "Follow-up risk",
    blurb: "Pending follow-ups by how overdue they are.",
    group: "Work",
    window: "forward",
    defaultRange: "Up to 30 days ahead",
    stats: [
      { key: "pending", label: "Pending follow-ups", type: "integer" },
      { key: "overdue", label: "Overdue", type: "integer" },
      { key: "overdue_rate", label: "Overdue share", type: "percent" },
      { key: "oldest_overdue", label: "Oldest overdue", type: "datetime" },
    ],
    charts: [
      {
        kind: "bar",
        title: "Pending follow-ups",
        x: "label",
        y: ["count"],
        tone: (row) => FOLLOW_UP_TONES[String(row.bucket)],
      },
    ],
    hide: ["bucket"],
    empty: "No pending follow-ups in this period.",
  },
  "client-retention": {
    title: "Client retention",
    blurb: "Clients at the start of the period who are still active, and new clients.",
    group: "Work",
    window: "trailing",
    defaultRange: "Last 90 days",
    stats: [
      { key: "retention_rate", label: "Retention rate", type: "percent" },
      { key: "churn_rate", label: "Churn rate", type: "percent" },
      { key: "clients_at_start", label: (c) => `${c.noun("client", true)} at start`, type: "integer" },
      { key: "retained", label: "Retained", type: "integer" },
      { key: "churned", label: "Lost", type: "integer" },
      { key: "new_clients", label: (c) => `New ${c.noun("client", true).toLowerCase()}`, type: "integer" },
      {
        key: "new_active_clients",
        label: (c) => `New and ${c.label("client_status", "active").toLowerCase()}`,
        type: "integer",
      },
    ],
    charts: [
      {
        kind: "bar",
        title: (c) => `${c.noun("client", true)} at start, by status now`,
        x: "outcome",
        y: ["clients"],
        tone: (row) => (row.outcome === "active" ? "green" : "slate"),
      },
    ],
    labels: { outcome: "client_status" },
    hide: ["label"],
    empty: "No clients at the start of this period.",
  },
  "project-performance": {
    title: "Project performance",
    blurb: "Projects by status: count, worth and how long completed ones took.",
    group: "Work",
    window: "trailing",
    defaultRange: "Last 90 days",
    stats: [
      { key: "projects", label: noun("project"), type: "integer" },
      { key: "total_worth", label: "Worth (12 months)", type: "money" },
      { key: "completion_rate", label: "Completion rate", type: "percent" },
      { key: "average_duration_days", label: "Average duration (days)", type: "decimal" },
    ],
    charts: [
      { kind: "bar", title: (c) => `${c.noun("project", true)} by status`, x: "status", y: ["projects"] },
      { kind: "bar", title: "Worth by status (12 months)", x: "status", y: ["total_worth"] },
    ],
    labels: { status: "project_status" },
    empty: "No projects in this period.",
  },
  "upcoming-tasks": {
    title: "Upcoming tasks",
    blurb: "Pending follow-ups due soon, with who they are for.",
    group: "Work",
    window: "forward",
    defaultRange: "Next 14 days",
    stats: [{ key: "tasks", label: "Tasks", type: "integer" }],
    charts: [],
    labels: { type: "interaction_type", parent: "entity" },
    links: { parent_name: link((row) => (row.parent === "lead" ? "lead" : "client"), "parent_id") },
    empty: "No follow-ups due in this period.",
  },
  "revenue-forecast": {
    title: "Revenue forecast",
    blurb: "Open projects weighted by how likely they are, plus MRR and ARR.",
    group: "Money",
    window: "trailing",
    defaultRange: "All open projects",
    stats: [
      { key: "expected_12m", label: "Expected next 12 months", type: "money" },
      { key: "weighted_pipeline", label: "Weighted pipeline", type: "money" },
      { key: "pipeline_worth", label: "Pipeline worth", type: "money" },
      { key: "mrr", label: "MRR", type: "money" },
      { key: "arr", label: "ARR", type: "money" },
      { key: "active_subscriptions", label: "Active subscriptions", type: "integer" },
    ],
    charts: [
      {
        kind: "bar",
        title: "Worth and weighted worth by stage",
        x: ["stage", "status"],
        y: ["worth", "weighted"],
        mode: "grouped",
        tones: ["slate", "brand"],
      },
    ],
    labels: { stage: "entity", status: byEntity("stage") },
    empty: "No open projects in this period.",
  },
  "subscriptions/income": {
    title: "Subscription income",
    blurb: "MRR and ARR month by month, and the MRR new subscriptions added.",
    group: "Money",
    window: "trailing",
    defaultRange: "Last 90 days",
    stats: [
      { key: "mrr", label: "MRR", type: "money" },
      { key: "arr", label: "ARR", type: "money" },
      { key: "new_mrr", label: "New MRR", type: "money" },
      { key: "new_subscriptions", label: "New subscriptions", type: "integer" },
      { key: "active", label: status("subscription_status", "active"), type: "integer" },
      { key: "paused", label: status("subscription_status", "paused"), type: "integer" },
      { key: "cancelled", label: status("subscription_status", "cancelled"), type: "integer" },
    ],
    charts: [{ kind: "line", title: "MRR by month", x: "month", y: ["mrr", "new_mrr"] }],
    labels: { month: "month" },
    empty: "No months in this period.",
  },
  "subscriptions/upcoming-renewals": {
    title: "Upcoming renewals",
    blurb: "Active subscriptions renewing soon, with their price.",
    group: "Money",
    window: "forward",
    defaultRange: "Next 30 days",
    stats: [
      { key: "renewals", label: "Renewals", type: "integer" },
      { key: "renewal_value", label: "Renewal value", type: "money" },
      { key: "mrr", label: "MRR renewing", type: "money" },
    ],
    charts: [],
    labels: { billing_cycle: "billing_cycle" },
    links: { client: link("client", "client_id") },
    empty: "No renewals in this period.",
  },
  "converted-leads": {
    title: "Converted leads",
    blurb: "Each converted lead and the client made from it (traceability).",
    group: "Sales",
    window: "trailing",
    defaultRange: "Last 90 days",
    stats: [
      { key: "converted", label: status("lead_status", "converted"), type: "integer" },
      { key: "traceable", label: "Traceable to their client", type: "integer" },
      { key: "avg_days_to_convert", label: "Average days to convert", type: "decimal" },
    ],
    charts: [],
    labels: { client_status: "client_status" },
    blank: { ...NO_SOURCE, client: "Not available" },
    links: { lead: link("lead", "lead_id"), client: link("client", "client_id") },
    empty: "No leads were converted in this period.",
  },
  "sync-health": {
    title: "Sync health",
    blurb: "Devices, their last sync, changes waiting for them and conflicts.",
    group: "Administration",
    admin: true,
    window: "trailing",
    defaultRange: "Last 90 days",
    stats: [
      { key: "devices", label: "Devices", type: "integer" },
      { key: "devices_behind", label: "Devices behind", type: "integer" },
      { key: "devices_needing_reset", label: "Needing a full resync", type: "integer" },
      { key: "open_conflicts", label: "Open conflicts", type: "integer" },
      { key: "auto_resolved", label: "Auto-resolved conflicts", type: "integer" },
      { key: "resolved", label: "Resolved conflicts", type: "integer" },
      { key: "tenant_seq", label: "Latest change (seq)", type: "integer" },
      { key: "horizon_seq", label: "Compaction horizon (seq)", type: "integer" },
    ],
    charts: [],
    empty: "No device synced in this period.",
  },
};

/** Every report, in the catalog's order. */
export const REPORT_LIST: readonly ReportMeta[] = Object.entries(CATALOG).map(([name, meta]) => ({
  ...meta,
  name: name as ReportName,
}));
export const GROUPS: readonly ReportGroup[] = ["Sales", "Money", "Work", "Administration"];

/** The catalog entry of a screen path's name, or null for an unknown one. */
export const reportMeta = (name: string | undefined): ReportMeta | null =>
  REPORT_LIST.find((m) => m.name === name) ?? null;

/** The reports a user may open (admin-only ones for admins). */
export const reportsFor = (isAdmin: boolean): ReportMeta[] => REPORT_LIST.filter((m) => isAdmin || !m.admin);

export const textOf = (text: Text, config: CRMConfig): string => (typeof text === "string" ? text : text(config));
