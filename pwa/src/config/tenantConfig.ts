// The tenant's white-label config as the app reads it (synced as entity `config`, so it is
// there offline). Its shape is the contract's TenantConfig (contracts/tenant_config.json; the
// server validates it on PUT /admin/config), read here leniently: a part that does not parse
// falls back to its default rather than breaking the app. Status lists are CLOSED: config may
// relabel a value, never add one — labels for values outside the list are ignored.
import { z } from "zod";
import {
  AccountStatusValues,
  BillingCycleValues,
  ClientStatusValues,
  FollowupStatusValues,
  InteractionTypeValues,
  LeadStatusValues,
  PhoneLabelValues,
  ProjectStatusValues,
  SubscriptionStatusValues,
  ValueTypeValues,
} from "../contracts/zod";

const labelMap = z.record(z.string(), z.string());

export const TenantConfig = z.object({
  branding: z
    .object({
      name: z.string().nullish().catch(undefined),
      primary_color: z.string().nullish().catch(undefined),
      logo_url: z.string().nullish().catch(undefined),
    })
    .catch({}),
  labels: z.record(z.string(), labelMap.catch({})).catch({}),
  lead_sources: z.array(z.string()).catch([]),
  business_types: z.array(z.string()).catch([]),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .catch("USD"),
  /** one of the contract's DateFormat values ("MM/DD/YYYY" by default) */
  date_format: z.string().catch("MM/DD/YYYY"),
  /** absent features are on */
  features: z.record(z.string(), z.boolean().catch(true)).catch({}),
  /** the tenant's names of records; absent ones keep the default */
  nouns: z
    .record(
      z.string(),
      z.object({ singular: z.string().catch(""), plural: z.string().catch("") }).catch({ singular: "", plural: "" }),
    )
    .catch({}),
});
export type TenantConfig = z.infer<typeof TenantConfig>;

export const CLOSED_LISTS = {
  lead_status: LeadStatusValues,
  client_status: ClientStatusValues,
  project_status: ProjectStatusValues,
  phone_label: PhoneLabelValues,
  interaction_type: InteractionTypeValues,
  followup_status: FollowupStatusValues,
  account_status: AccountStatusValues,
  subscription_status: SubscriptionStatusValues,
  billing_cycle: BillingCycleValues,
  value_type: ValueTypeValues,
} as const;
export type ClosedList = keyof typeof CLOSED_LISTS;

/** The closed lists a tenant may relabel (the contract's StatusLabels). */
export const RELABELLED: readonly ClosedList[] = [
  "lead_status",
  "client_status",
  "project_status",
  "account_status",
  "subscription_status",
  "followup_status",
];

export interface Option<V extends string = string> {
  value: V;
  label: string;
}

export const humanize = (value: string): string => value.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

export function parseTenantConfig(raw: unknown): TenantConfig {
  return TenantConfig.parse(typeof raw === "object" && raw !== null ? raw : {});
}

/** Options of a closed list in its fixed order, labelled by the tenant where it chose to. */
export function closedOptions<L extends ClosedList>(
  config: TenantConfig,
  list: L,
): Option<(typeof CLOSED_LISTS)[L][number]>[] {
  const labels = (RELABELLED.includes(list) ? config.labels[list] : undefined) ?? {};
  return CLOSED_LISTS[list].map((value) => ({ value, label: labels[value]?.trim() || humanize(value) }));
}

/** The display name of a value of a closed list ("" for none). A value outside the list (an
 * older server, a corrupt row) is shown as it is, never given a tenant label. */
export function closedLabel(config: TenantConfig, list: ClosedList, value: string | null | undefined): string {
  if (!value) return "";
  return closedOptions(config, list).find((o) => o.value === value)?.label ?? humanize(value);
}

export type EntityNoun =
  | "lead"
  | "client"
  | "project"
  | "contact"
  | "account"
  | "subscription"
  | "interaction"
  | "note";

const ENTITY_NOUNS: Record<EntityNoun, [string, string]> = {
  lead: ["Lead", "Leads"],
  client: ["Client", "Clients"],
  project: ["Project", "Projects"],
  contact: ["Contact", "Contacts"],
  account: ["Account", "Accounts"],
  subscription: ["Subscription", "Subscriptions"],
  interaction: ["Interaction", "Interactions"],
  note: ["Note", "Notes"],
};

export const ENTITY_NOUN_KEYS = Object.keys(ENTITY_NOUNS) as EntityNoun[];

/** The built-in name of an entity (singular, plural), before the tenant's own. */
export const defaultNoun = (entity: EntityNoun, plural = false): string => ENTITY_NOUNS[entity][plural ? 1 : 0];

/** The name of an entity on screen: the tenant's (config `nouns`), else the default. */
export function entityNoun(config: TenantConfig, entity: EntityNoun, plural = false): string {
  const own = config.nouns[entity];
  const name = plural ? own?.plural : own?.singular;
  return name?.trim() || defaultNoun(entity, plural);
}

/** The tenant's brand colour if it is "#RRGGBB" (the contract's HexColor; nothing else is let
 * into a style). */
export function brandColor(config: TenantConfig): string | null {
  const value = config.branding.primary_color?.trim() ?? "";
  return /^#[0-9a-f]{6}$/i.test(value) ? value : null;
}
