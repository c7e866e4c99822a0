// The projects of a client, linked, with a button for a new one already tied to it.
import { Link } from "react-router";
import { useWorkspace } from "../../app/AppProvider";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { useLive } from "../../hooks/useLive";
import { listPath, recordPath } from "../../records/paths";
import { Badge, statusTone } from "../../ui/Badge";
import { buttonClass } from "../../ui/Button";

export function ProjectsOf({ clientId }: { clientId: string }) {
  const { store } = useWorkspace();
  const config = useCRMConfig();
  const projects = useLive(
    store,
    async (s) => (await s.listWhere("project", "client_id", clientId)).filter((p) => !p.deleted_at),
    [clientId],
    ["records"],
  );
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-2">
        <p className="mr-auto text-sm text-slate-500">
          {projects?.length ?? 0} {config.noun("project", projects?.length !== 1).toLowerCase()}
        </p>
        <Link to={`${listPath("project")}/new?client_id=${clientId}`} className={buttonClass("secondary")}>
          New {config.noun("project").toLowerCase()}
        </Link>
      </div>
      <ul className="divide-y divide-slate-100 rounded-xl bg-white ring-1 ring-slate-200">
        {(projects ?? []).map((p) => (
          <li key={p.id} className="flex items-center gap-3 p-3">
            <Link
              to={recordPath("project", p.id)}
              className="min-w-0 flex-1 truncate text-sm font-medium hover:underline"
            >
              {String(p.name)}
            </Link>
            <span className="text-xs text-slate-500">{config.money(p.project_worth)}</span>
            <Badge tone={statusTone(String(p.project_status))}>
              {config.label("project_status", String(p.project_status ?? ""))}
            </Badge>
          </li>
        ))}
      </ul>
    </div>
  );
}
