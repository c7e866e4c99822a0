// The tenant config as screens use it: parsed once, with the helpers every screen needs
// (closed-list options and labels, entity nouns, feature toggles, dates and money).
import { formatDate, formatDateTime, formatMoney } from "../ui/format";
import {
  brandColor,
  type CLOSED_LISTS,
  type ClosedList,
  closedLabel,
  closedOptions,
  type EntityNoun,
  entityNoun,
  type Option,
  parseTenantConfig,
  type TenantConfig,
} from "./tenantConfig";

export interface CRMConfig extends TenantConfig {
  tenantName: string;
  appName: string;
  brand: string | null;
  loaded: boolean;
  options<L extends ClosedList>(list: L): Option<(typeof CLOSED_LISTS)[L][number]>[];
  label(list: ClosedList, value: string | null | undefined): string;
  noun(entity: EntityNoun, plural?: boolean): string;
  feature(name: string, fallback?: boolean): boolean;
  date(value: unknown): string;
  dateTime(value: unknown): string;
  money(value: unknown): string;
}

const text = (value: unknown): string | null => (typeof value === "string" && value ? value : null);

export function crmConfig(raw: unknown, tenantName = "", loaded = true): CRMConfig {
  const config = parseTenantConfig(raw);
  const appName = config.branding.name?.trim() || "PathSix CRM";
  return {
    ...config,
    tenantName,
    appName,
    brand: brandColor(config),
    loaded,
    options: (list) => closedOptions(config, list),
    label: (list, value) => closedLabel(config, list, value),
    noun: (entity, plural = false) => entityNoun(config, entity, plural),
    feature: (name, fallback = true) => config.features[name] ?? fallback,
    date: (value) => formatDate(text(value), config.date_format),
    dateTime: (value) => formatDateTime(text(value), config.date_format),
    money: (value) => formatMoney(typeof value === "number" ? value : text(value), config.currency),
  };
}
