// Today's agenda with an injected clock: due, overdue and upcoming follow-ups by local day.
import { describe, expect, it } from "vitest";
import { followUpAgenda, recentRecords } from "../src/screens/today/agenda";
import type { RecordRow } from "../src/store/types";

// Local times (the agenda works in the device's days), so the test holds in any time zone.
const at = (day: number, hour = 9, minute = 0) => new Date(2026, 10, day, hour, minute).toISOString();
const NOW = new Date(2026, 10, 22, 14, 30); // 22 Nov 2026, 14:30 local

let n = 0;
const interaction = (follow_up: string | null, followup_status: string | null = "pending", extra = {}): RecordRow => ({
  id: `i${++n}`,
  summary: `call ${n}`,
  follow_up,
  followup_status,
  deleted_at: null,
  ...extra,
});

describe("followUpAgenda", () => {
  it("sorts open follow-ups into overdue, due today and the next seven days", () => {
    const rows = [
      interaction(at(22, 23, 59)), // later today
      interaction(at(21, 23, 59)), // yesterday, one minute before midnight
      interaction(at(22, 0, 0)), // today at midnight: due today, not overdue
      interaction(at(22, 8)), // earlier today: still "today" (not overdue until the day ends)
      interaction(at(10)), // long overdue
      interaction(at(23, 0, 0)), // tomorrow
      interaction(at(29, 23, 59)), // seventh day after today
      interaction(at(30, 0, 0)), // eighth day: beyond the horizon
    ];
    const agenda = followUpAgenda(rows, NOW);
    const ids = (list: { interaction: RecordRow }[]) => list.map((f) => f.interaction.id);
    expect(ids(agenda.overdue)).toEqual([rows[4]?.id, rows[1]?.id]);
    expect(ids(agenda.today)).toEqual([rows[2]?.id, rows[3]?.id, rows[0]?.id]);
    expect(ids(agenda.upcoming)).toEqual([rows[5]?.id, rows[6]?.id]);
  });

  it("leaves out completed, cancelled, trashed and unscheduled follow-ups; keeps rescheduled and unset", () => {
    const rows = [
      interaction(at(20), "completed"),
      interaction(at(20), "cancelled"),
      interaction(at(20), "pending", { deleted_at: at(21) }),
      interaction(null, "pending"),
      interaction("not a date", "pending"),
      interaction(at(20), "rescheduled"),
      interaction(at(20), null),
    ];
    const agenda = followUpAgenda(rows, NOW);
    expect(agenda.overdue.map((f) => f.interaction.id)).toEqual([rows[5]?.id, rows[6]?.id]);
    expect(agenda.today).toEqual([]);
  });

  it("moves with the clock: tomorrow's follow-up is due once tomorrow comes", () => {
    const rows = [interaction(at(23, 10))];
    expect(followUpAgenda(rows, NOW).upcoming).toHaveLength(1);
    expect(followUpAgenda(rows, new Date(2026, 10, 23, 0, 1)).today).toHaveLength(1);
    expect(followUpAgenda(rows, new Date(2026, 10, 24, 0, 1)).overdue).toHaveLength(1);
  });
});

describe("recentRecords", () => {
  it("merges leads, clients and projects newest first, without Trash", () => {
    const row = (id: string, updated_at: string, deleted_at: string | null = null) => ({ id, updated_at, deleted_at });
    const recent = recentRecords(
      {
        lead: [row("l1", at(20)), row("l2", at(22), at(22))],
        client: [row("c1", at(21))],
        project: [row("p1", at(19))],
      },
      2,
    );
    expect(recent.map((r) => `${r.entity}:${r.row.id}`)).toEqual(["client:c1", "lead:l1"]);
  });
});
