// The tenant's white-label config as the app reads it (synced as entity `config`, so it is
// there offline). The server stores it as free JSON; anything malformed falls back to defaults
// rather than breaking the app. Status lists are CLOSED (contracts): config may relabel a
// status, never add one — labels for unknown values are ignored.
import { z } from "zod";
import { ClientStatusValues, LeadStatusValues, PhoneLabelValues, ProjectStatusValues } from "../contracts/zod";

const labelMap = z.record(z.string(), z.string());

export const TenantConfig = z.object({
  branding: z
    .object({
      app_name: z.string().optional(),
      primary_color: z.string().optional(),
      logo_url: z.string().optional(),
    })
    .catch({}),
  labels: z.record(z.string(), labelMap).catch({}),
  lead_sources: z.array(z.string()).catch([]),
  business_types: z.array(z.string()).catch([]),
  currency: z.string().catch("USD"),
  date_format: z.string().catch("yyyy-MM-dd"),
  features: z.record(z.string(), z.boolean()).catch({}),
});
export type TenantConfig = z.infer<typeof TenantConfig>;

export const CLOSED_LISTS = {
  lead_status: LeadStatusValues,
  client_status: ClientStatusValues,
  project_status: ProjectStatusValues,
  phone_label: PhoneLabelValues,
} as const;
export type ClosedList = keyof typeof CLOSED_LISTS;

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
  const labels = config.labels[list] ?? {};
  return CLOSED_LISTS[list].map((value) => ({ value, label: labels[value] ?? humanize(value) }));
}
