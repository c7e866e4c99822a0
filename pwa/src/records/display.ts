// A field's value as people read it: tenant labels for closed lists, the tenant's date format
// and currency, user and client names instead of ids.
import type { CRMConfig } from "../config/crmConfig";
import type { FieldSpec } from "./fields";

export interface Names {
  users: ReadonlyMap<string, string>;
  clients?: ReadonlyMap<string, string>;
}

export function displayValue(spec: FieldSpec, value: unknown, config: CRMConfig, names: Names): string {
  if (value === null || value === undefined || value === "") return spec.kind === "bool" ? "No" : "—";
  const text = String(value);
  switch (spec.kind) {
    case "closed":
      return spec.list ? config.label(spec.list, text) : text;
    case "user":
      return names.users.get(text) ?? "Someone else";
    case "client":
      return names.clients?.get(text) ?? "A client not on this device";
    case "date":
      return config.date(text);
    case "datetime":
      return config.dateTime(text);
    case "money":
      return config.money(text);
    case "bool":
      return value === true ? "Yes" : "No";
    default:
      return text;
  }
}
