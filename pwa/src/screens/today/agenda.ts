// What the Today screen shows, as pure functions of the records and a clock (injected, so the
// tests fix "now"). Days are the device's local days: "due today" means before local midnight.
import type { RecordRow } from "../../store/types";

/** Follow-up statuses that still ask for action (null: set before statuses were used). */
const OPEN = new Set<unknown>([null, undefined, "", "pending", "rescheduled"]);

export interface FollowUp {
  interaction: RecordRow;
  due: Date;
}

export interface Agenda {
  overdue: FollowUp[];
  today: FollowUp[];
  upcoming: FollowUp[];
}

export const startOfDay = (d: Date): Date => new Date(d.getFullYear(), d.getMonth(), d.getDate());
const addDays = (d: Date, days: number): Date => new Date(d.getFullYear(), d.getMonth(), d.getDate() + days);

export const isOpenFollowUp = (row: RecordRow): boolean =>
  !row.deleted_at && typeof row.follow_up === "string" && row.follow_up !== "" && OPEN.has(row.followup_status);

/** Open follow-ups: overdue (before today), due today, and the next `upcomingDays` days; each
 * group soonest first (overdue: the oldest first, it has waited longest). */
export function followUpAgenda(interactions: readonly RecordRow[], now: Date, upcomingDays = 7): Agenda {
  const today = startOfDay(now);
  const tomorrow = addDays(today, 1);
  const horizon = addDays(today, upcomingDays + 1);
  const agenda: Agenda = { overdue: [], today: [], upcoming: [] };
  for (const interaction of interactions) {
    if (!isOpenFollowUp(interaction)) continue;
    const due = new Date(String(interaction.follow_up));
    if (Number.isNaN(due.getTime())) continue;
    if (due < today) agenda.overdue.push({ interaction, due });
    else if (due < tomorrow) agenda.today.push({ interaction, due });
    else if (due < horizon) agenda.upcoming.push({ interaction, due });
  }
  for (const list of Object.values(agenda)) list.sort((a: FollowUp, b: FollowUp) => a.due.getTime() - b.due.getTime());
  return agenda;
}

export interface RecentItem {
  entity: "lead" | "client" | "project";
  row: RecordRow;
}

/** The records touched most recently (on this device or synced), newest first. */
export function recentRecords(groups: Record<RecentItem["entity"], readonly RecordRow[]>, limit = 8): RecentItem[] {
  const all: RecentItem[] = [];
  for (const [entity, rows] of Object.entries(groups) as [RecentItem["entity"], readonly RecordRow[]][]) {
    for (const row of rows) if (!row.deleted_at) all.push({ entity, row });
  }
  const at = (i: RecentItem) => String(i.row.updated_at ?? "");
  return all.sort((a, b) => (at(a) < at(b) ? 1 : at(a) > at(b) ? -1 : 0)).slice(0, limit);
}
