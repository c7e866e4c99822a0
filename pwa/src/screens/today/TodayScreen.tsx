// Today: follow-ups that are overdue, due today and coming up (from interactions.follow_up and
// followup_status), and the records touched most recently. All from the device.
import { Link } from "react-router";
import { useWorkspace } from "../../app/AppProvider";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { useLive } from "../../hooks/useLive";
import { listPath, recordPath, titleOf } from "../../records/paths";
import type { LocalStore } from "../../store/store";
import { Badge, statusTone } from "../../ui/Badge";
import { buttonClass } from "../../ui/Button";
import { relativeTime } from "../../ui/time";
import { followUpAgenda, recentRecords } from "./agenda";
import { FollowUpGroup } from "./FollowUpGroup";

async function load(store: LocalStore) {
  const [interactions, leads, clients, projects] = await Promise.all([
    store.list("interaction"),
    store.list("lead"),
    store.list("client"),
    store.list("project"),
  ]);
  const names = new Map<string, string>();
  for (const row of [...leads, ...clients]) names.set(row.id, String(row.name ?? ""));
  return { interactions, names, recent: recentRecords({ lead: leads, client: clients, project: projects }) };
}

export function TodayScreen({ now = () => new Date() }: { now?: () => Date }) {
  const { store } = useWorkspace();
  const config = useCRMConfig();
  const data = useLive(store, load, [], ["records"]);
  if (!data) return <p className="text-sm text-slate-500">Loading…</p>;
  const agenda = followUpAgenda(data.interactions, now());
  const nothingDue = agenda.overdue.length + agenda.today.length + agenda.upcoming.length === 0;
  const statusOf = (entity: string, row: Record<string, unknown>) => {
    const [list, field] =
      entity === "lead"
        ? (["lead_status", "lead_status"] as const)
        : entity === "client"
          ? (["client_status", "status"] as const)
          : (["project_status", "project_status"] as const);
    const value = String(row[field] ?? "");
    return <Badge tone={statusTone(value)}>{config.label(list, value)}</Badge>;
  };

  return (
    <section className="space-y-6" data-testid="today">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-lg font-semibold">Today</h1>
        <Link to={`${listPath("lead")}/new`} className={buttonClass("primary")}>
          New {config.noun("lead").toLowerCase()}
        </Link>
      </div>
      <FollowUpGroup title="Overdue" tone="red" items={agenda.overdue} names={data.names} />
      <FollowUpGroup title="Due today" tone="amber" items={agenda.today} names={data.names} />
      <FollowUpGroup title="Coming up (7 days)" tone="slate" items={agenda.upcoming} names={data.names} />
      {nothingDue && (
        <p className="rounded-xl bg-white p-4 text-sm text-slate-500 ring-1 ring-slate-200">
          No follow-ups due. Set one when you log an interaction.
        </p>
      )}

      <div>
        <h2 className="mb-2 text-sm font-semibold text-slate-700">Recently updated</h2>
        <ul className="divide-y divide-slate-100 rounded-xl bg-white ring-1 ring-slate-200">
          {data.recent.length === 0 && <li className="p-3 text-sm text-slate-500">Nothing yet.</li>}
          {data.recent.map(({ entity, row }) => (
            <li key={row.id} className="flex items-center gap-3 p-3">
              <span className="w-14 shrink-0 text-xs uppercase tracking-wide text-slate-400">
                {config.noun(entity)}
              </span>
              <Link
                to={recordPath(entity, row.id)}
                className="min-w-0 flex-1 truncate text-sm font-medium hover:underline"
              >
                {titleOf(entity, row) || "—"}
              </Link>
              <span className="hidden text-xs text-slate-500 sm:inline">
                {relativeTime(String(row.updated_at ?? ""))}
              </span>
              {statusOf(entity, row)}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
