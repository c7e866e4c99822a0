// The tenant configuration as a form: the contract's TenantConfig (PUT replaces it whole) turned
// into inputs and back, validated with the generated schema before it is sent. Status lists are
// closed: the form has one name per existing value and nothing to add or remove one; an empty
// name means "the default".
import {
  CLOSED_LISTS,
  type ClosedList,
  ENTITY_NOUN_KEYS,
  type EntityNoun,
  humanize,
  RELABELLED,
} from "../../../../config/tenantConfig";
import { TenantConfig } from "../../../../contracts/zod";
import { fieldFor } from "../shared/errors";

/** The contract's Feature list (tenant_config.json; the generated schema keeps only "a map of
 * booleans", so the list is written here and a test holds it to the contract). */
export const FEATURES = [
  "calendar",
  "imports",
  "reports",
  "projects",
  "accounts",
  "subscriptions",
  "file_uploads",
] as const;
export type Feature = (typeof FEATURES)[number];

export const FEATURE_BLURBS: Record<Feature, string> = {
  calendar: "Follow-ups in a calendar and as calendar files.",
  imports: "Import leads from CSV or Excel files.",
  reports: "The Reports section.",
  projects: "Projects: their list, pages and the project parts of clients and leads.",
  accounts: "Accounts on client pages.",
  subscriptions: "Subscriptions on client pages.",
  file_uploads: "Attaching files to records.",
};

export const CURRENCIES: readonly string[] = TenantConfig.shape.currency.unwrap().options;
export const DATE_FORMATS: readonly string[] = TenantConfig.shape.date_format.unwrap().options;
/** The contract's Label length (StatusLabels values: 1–60 characters). */
export const LABEL_MAX = 60;

export interface ConfigForm {
  name: string;
  logo_url: string;
  primary_color: string;
  /** list -> value -> display name ("" = default) */
  labels: Record<string, Record<string, string>>;
  /** entity -> its name, singular and plural ("" = default) */
  nouns: Record<EntityNoun, { singular: string; plural: string }>;
  /** one per line */
  lead_sources: string;
  business_types: string;
  currency: string;
  date_format: string;
  features: Record<Feature, boolean>;
}

/** Every field of the form by the path the server's and Zod's errors use. */
export const FORM_FIELDS: readonly string[] = [
  "branding.name",
  "branding.logo_url",
  "branding.primary_color",
  ...RELABELLED.flatMap((list) => CLOSED_LISTS[list].map((value) => `labels.${list}.${value}`)),
  ...ENTITY_NOUN_KEYS.flatMap((e) => [`nouns.${e}.singular`, `nouns.${e}.plural`]),
  "lead_sources",
  "business_types",
  "currency",
  "date_format",
  ...FEATURES.map((f) => `features.${f}`),
];

const lines = (values: readonly string[] | undefined): string => (values ?? []).join("\n");

export function toForm(config: TenantConfig): ConfigForm {
  // The generated schema keeps `nouns` as a map of unknowns (its keys are a closed list).
  const nouns = (config.nouns ?? {}) as Record<string, { singular?: string; plural?: string } | undefined>;
  const labels = config.labels as Record<string, Record<string, unknown> | undefined> | undefined;
  return {
    name: config.branding?.name ?? "",
    logo_url: config.branding?.logo_url ?? "",
    primary_color: config.branding?.primary_color ?? "",
    labels: Object.fromEntries(
      RELABELLED.map((list) => [
        list,
        Object.fromEntries(CLOSED_LISTS[list].map((v) => [v, String(labels?.[list]?.[v] ?? "")])),
      ]),
    ),
    nouns: Object.fromEntries(
      ENTITY_NOUN_KEYS.map((e) => [e, { singular: nouns[e]?.singular ?? "", plural: nouns[e]?.plural ?? "" }]),
    ) as ConfigForm["nouns"],
    lead_sources: lines(config.lead_sources),
    business_types: lines(config.business_types),
    currency: config.currency ?? "USD",
    date_format: config.date_format ?? "MM/DD/YYYY",
    features: Object.fromEntries(FEATURES.map((f) => [f, config.features?.[f] !== false])) as Record<Feature, boolean>,
  };
}

const orNull = (value: string): string | null => value.trim() || null;
const splitLines = (text: string): string[] =>
  text
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);

/** The PUT body: blanks left out (defaults), labels only where one was typed. */
export function fromForm(form: ConfigForm): TenantConfig {
  const labels = Object.fromEntries(
    RELABELLED.map((list) => [
      list,
      Object.fromEntries(
        Object.entries(form.labels[list] ?? {})
          .map(([value, label]) => [value, label.trim()] as const)
          .filter(([, label]) => label),
      ),
    ]),
  );
  return {
    branding: {
      name: orNull(form.name),
      logo_url: orNull(form.logo_url),
      primary_color: orNull(form.primary_color)?.toLowerCase() ?? null,
    },
    labels,
    // A name is saved when either form was typed (the other then fails validation, on its field).
    nouns: Object.fromEntries(
      Object.entries(form.nouns)
        .map(([e, n]) => [e, { singular: n.singular.trim(), plural: n.plural.trim() }] as const)
        .filter(([, n]) => n.singular || n.plural),
    ),
    lead_sources: splitLines(form.lead_sources),
    business_types: splitLines(form.business_types),
    currency: form.currency,
    date_format: form.date_format,
    features: { ...form.features },
  } as TenantConfig;
}

export type Checked = { ok: true; body: TenantConfig } | { ok: false; errors: Record<string, string> };

/** Validate with the generated TenantConfig; each problem on the field it belongs to. */
export function checkForm(form: ConfigForm): Checked {
  const body = fromForm(form);
  const parsed = TenantConfig.safeParse(body);
  if (parsed.success) return { ok: true, body: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const name = fieldFor(issue.path.join("."), FORM_FIELDS);
    errors[name] ??= name === "root" ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
  }
  return { ok: false, errors };
}

/** Whether the form would save something other than `saved`. */
export const isDirty = (form: ConfigForm, saved: TenantConfig): boolean =>
  JSON.stringify(fromForm(form)) !== JSON.stringify(fromForm(toForm(saved)));

/** The heading of a closed list's names ("Lead statuses", "Follow-up statuses"). */
export function listTitle(list: ClosedList, noun: (entity: "lead" | "client" | "project") => string): string {
  const entity = list.replace(/_status$/, "");
  if (entity === "lead" || entity === "client" || entity === "project") return `${noun(entity)} statuses`;
  return `${entity === "followup" ? "Follow-up" : humanize(entity)} statuses`;
}

/** WCAG contrast ratio of white text on a #RRGGBB colour (the app writes white on brand-700). */
export function contrastWithWhite(hex: string): number | null {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!match) return null;
  const channel = (h: string) => {
    const c = Number.parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = [match[1], match[2], match[3]].map((h) => channel(h ?? "0")) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (luminance + 0.05);
}
