// A project: its fields (worth in the tenant's currency, dates in its format), its client, and
// the interactions and notes about it.
import { Link, useParams } from "react-router";
import { useWorkspace } from "../../app/AppProvider";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { useLive } from "../../hooks/useLive";
import { recordPath } from "../../records/paths";
import { Badge, statusTone } from "../../ui/Badge";
import { MissingRecord } from "../records/DetailHeader";
import { RecordPage } from "../records/RecordPage";
import { RelatedSection } from "../records/RelatedSection";

export function ProjectDetail() {
  const { id = "" } = useParams();
  const { store } = useWorkspace();
  const config = useCRMConfig();
  // undefined while reading, null when the device does not hold it
  const project = useLive(store, async (s) => (await s.get("project", id)) ?? null, [id], ["records"]);
  const clientId = typeof project?.client_id === "string" ? project.client_id : "";
  const client = useLive(
    store,
    (s) => (clientId ? s.get("client", clientId) : Promise.resolve(undefined)),
    [clientId],
    ["records"],
  );
  if (project === undefined) return <p className="text-sm text-slate-500">Loading…</p>;
  if (project === null) return <MissingRecord entity="project" id={id} />;
  const links = Object.fromEntries(
    (["client_id", "lead_id"] as const)
      .flatMap((k) => (typeof project[k] === "string" ? [[k, project[k] as string]] : []))
      .slice(0, 1),
  );
  const parent = { entity: "project" as const, id, name: String(project.name ?? ""), links };

  return (
    <RecordPage
      entity="project"
      record={project}
      subtitle={
        client && (
          <Link className="text-brand-700 underline" to={recordPath("client", client.id)}>
            {String(client.name)}
          </Link>
        )
      }
      status={
        <Badge tone={statusTone(String(project.project_status))}>
          {config.label("project_status", String(project.project_status ?? ""))}
        </Badge>
      }
      related={[
        {
          id: "interactions",
          label: config.noun("interaction", true),
          content: <RelatedSection entity="interaction" parent={parent} />,
        },
        { id: "notes", label: config.noun("note", true), content: <RelatedSection entity="note" parent={parent} /> },
      ]}
    />
  );
}
