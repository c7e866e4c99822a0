// Bulk resolution: which conflicts are selected, what the two bulk choices mean for the listed
// status, and the per-id results in words. A bulk choice names a side, and the side that lost
// differs by status (open: the device's; auto-resolved: the server's), so bulk works on one
// status at a time and its buttons say what they do for it.
import type { BulkResolveResult, ConflictRead } from "../../../contracts/zod";
import type { ConflictStatus } from "./query";

export type Selection = ReadonlySet<string>;

/** Only conflicts still waiting for a decision can be resolved. */
export const selectable = (c: Pick<ConflictRead, "status">): boolean => c.status !== "resolved";

export function toggle(selection: Selection, id: string): Set<string> {
  const next = new Set(selection);
  if (!next.delete(id)) next.add(id);
  return next;
}

type Item = Pick<ConflictRead, "id" | "status">;

/** The header checkbox: every selectable conflict listed is selected, some are, or none. */
export function pageState(selection: Selection, items: readonly Item[]): "all" | "some" | "none" {
  const ids = items.filter(selectable).map((c) => c.id);
  const chosen = ids.filter((id) => selection.has(id)).length;
  if (chosen === 0) return "none";
  return chosen === ids.length ? "all" : "some";
}

/** The header checkbox toggled: select every listed one, or (when all are) none of them. */
export function toggleAll(selection: Selection, items: readonly Item[]): Set<string> {
  const ids = items.filter(selectable).map((c) => c.id);
  const next = new Set(selection);
  if (pageState(selection, items) === "all") for (const id of ids) next.delete(id);
  else for (const id of ids) next.add(id);
  return next;
}

/** Keep only what is still listed and still selectable (after a reload or new filters). */
export function prune(selection: Selection, items: readonly Item[]): Set<string> {
  const keep = new Set(items.filter(selectable).map((c) => c.id));
  return new Set([...selection].filter((id) => keep.has(id)));
}

export interface BulkAction {
  choice: "server" | "client";
  label: string;
  /** what it does, for the confirmation */
  effect: string;
}

/** The two bulk choices for conflicts of one status; none for "resolved" or a mixed list. */
export function bulkActions(status: ConflictStatus | ""): BulkAction[] {
  if (status === "open") {
    return [
      {
        choice: "server",
        label: "Keep server values",
        effect: "The live values stay; the devices' changes are dropped.",
      },
      { choice: "client", label: "Take devices' values", effect: "Each device's held change is applied." },
    ];
  }
  if (status === "auto_resolved") {
    return [
      {
        choice: "server",
        label: "Restore losing values",
        effect: "Each field goes back to the server's value that lost to a later edit.",
      },
      {
        choice: "client",
        label: "Keep devices' values",
        effect: "The values that won stay; the conflicts move to the history.",
      },
    ];
  }
  return [];
}

export interface BulkOutcome {
  resolved: string[];
  failed: { id: string; message: string }[];
}

export function bulkOutcome(results: readonly BulkResolveResult[]): BulkOutcome {
  const outcome: BulkOutcome = { resolved: [], failed: [] };
  for (const r of results) {
    if (r.status === "resolved") outcome.resolved.push(r.id);
    else outcome.failed.push({ id: r.id, message: r.error?.error ?? "Not resolved." });
  }
  return outcome;
}

export function outcomeText({ resolved, failed }: BulkOutcome): string {
  const done = `${resolved.length} conflict${resolved.length === 1 ? "" : "s"} resolved`;
  return failed.length ? `${done}; ${failed.length} could not be resolved.` : `${done}.`;
}
