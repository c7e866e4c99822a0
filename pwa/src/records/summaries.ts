// One line about a child record (contact, account, subscription, interaction, note) for the
// lists on its parent's page.
import type { CRMConfig } from "../hooks/useCRMConfig";
import type { RecordRow } from "../store/types";
import type { RecordEntity } from "../sync/entities";
import { titleOf } from "./paths";

const join = (...parts: unknown[]) => parts.filter((p) => typeof p === "string" && p).join(" · ");

export function summaryOf(entity: RecordEntity, row: RecordRow, config: CRMConfig): { title: string; meta: string } {
  const title = titleOf(entity, row) || "—";
  switch (entity) {
    case "contact":
      return { title, meta: join(row.title, row.phone, row.email, row.is_primary ? "Primary" : "") };
    case "account":
      return {
        title,
        meta: join(
          row.account_number,
          config.label("account_status", row.status as string),
          config.date(row.opened_on),
        ),
      };
    case "subscription":
      return {
        title,
        meta: join(
          `${config.money(row.price)} / ${config.label("billing_cycle", row.billing_cycle as string).toLowerCase()}`,
          config.label("subscription_status", row.status as string),
          row.renewal_date ? `renews ${config.date(row.renewal_date)}` : "",
        ),
      };
    case "interaction":
      return {
        title,
        meta: join(
          config.label("interaction_type", row.type as string),
          config.dateTime(row.contact_date),
          row.follow_up ? `follow up ${config.dateTime(row.follow_up)}` : "",
          row.follow_up ? config.label("followup_status", (row.followup_status as string) || "pending") : "",
        ),
      };
    case "note":
      return { title: String(row.body ?? ""), meta: config.dateTime(row.created_at) };
    default:
      return { title, meta: "" };
  }
}

/** Newest first for what happened (interactions, notes); creation order for the rest. */
export function sortChildren(entity: RecordEntity, rows: RecordRow[]): RecordRow[] {
  const key = entity === "interaction" ? "contact_date" : "created_at";
  const newestFirst = entity === "interaction" || entity === "note";
  return [...rows].sort((a, b) => {
    const x = String(a[key] ?? "");
    const y = String(b[key] ?? "");
    return newestFirst ? y.localeCompare(x) : x.localeCompare(y);
  });
}
