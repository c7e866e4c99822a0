// Where a record lives in the app. Child records (contacts, interactions…) are shown on their
// parent's page.
import type { RecordRow } from "../store/types";
import type { RecordEntity } from "../sync/entities";

export type TopEntity = "lead" | "client" | "project";
export const TOP_ENTITIES: readonly TopEntity[] = ["lead", "client", "project"];

export const listPath = (entity: TopEntity): string => `/${entity}s`;
export const recordPath = (entity: TopEntity, id: string): string => `/${entity}s/${id}`;

/** The page that shows a record of any entity (its own, or its parent's). */
export function pagePath(entity: RecordEntity, row: Partial<RecordRow> & { id: string }): string | null {
  if (entity === "lead" || entity === "client" || entity === "project") return recordPath(entity, row.id);
  if (entity === "note" && typeof row.entity === "string" && typeof row.entity_id === "string") {
    return recordPath(row.entity as TopEntity, row.entity_id);
  }
  for (const parent of ["project", "client", "lead"] as const) {
    const id = row[`${parent}_id`];
    if (typeof id === "string") return recordPath(parent, id);
  }
  return null;
}

/** The display name of a record of any entity. */
export function titleOf(entity: RecordEntity, row: Record<string, unknown> | undefined): string {
  if (!row) return "";
  const s = (k: string) => (typeof row[k] === "string" ? (row[k] as string) : "");
  switch (entity) {
    case "contact":
      return [s("first_name"), s("last_name")].filter(Boolean).join(" ");
    case "account":
      return s("account_name") || s("account_number");
    case "subscription":
      return s("plan_name");
    case "interaction":
      return s("summary");
    case "note":
      return s("body").split("\n")[0] ?? "";
    default:
      return s("name");
  }
}
