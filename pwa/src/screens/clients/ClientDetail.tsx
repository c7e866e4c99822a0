// A client: its fields and everything that hangs off it — contacts, accounts, subscriptions,
// interactions, projects, notes — each addable and editable offline.
import { Link, useParams } from "react-router";
import { useWorkspace } from "../../app/AppProvider";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { useLive } from "../../hooks/useLive";
import { recordPath } from "../../records/paths";
import { Badge, statusTone } from "../../ui/Badge";
import type { TabItem } from "../../ui/Tabs";
import { ProjectsOf } from "../projects/ProjectsOf";
import { MissingRecord } from "../records/DetailHeader";
import { LogInteraction } from "../records/LogInteraction";
import { RecordPage } from "../records/RecordPage";
import { RelatedSection } from "../records/RelatedSection";

export function ClientDetail() {
  const { id = "" } = useParams();
  const { store } = useWorkspace();
  const config = useCRMConfig();
  // undefined while reading, null when the device does not hold it
  const client = useLive(store, async (s) => (await s.get("client", id)) ?? null, [id], ["records"]);
  if (client === undefined) return <p className="text-sm text-slate-500">Loading…</p>;
  if (client === null) return <MissingRecord entity="client" id={id} />;
  const parent = { entity: "client" as const, id, name: String(client.name ?? "") };
  const section = (entity: "contact" | "account" | "subscription" | "note"): TabItem => ({
    id: entity,
    label: config.noun(entity, true),
    content: <RelatedSection entity={entity} parent={parent} />,
  });
  const related: TabItem[] = [
    {
      id: "interactions",
      label: config.noun("interaction", true),
      content: <RelatedSection entity="interaction" parent={parent} actions={<span />} />,
    },
    section("contact"),
    ...(config.feature("accounts") ? [section("account")] : []),
    ...(config.feature("subscriptions") ? [section("subscription")] : []),
    ...(config.feature("projects")
      ? [{ id: "projects", label: config.noun("project", true), content: <ProjectsOf clientId={id} /> }]
      : []),
    section("note"),
  ];
  const sourceLead = typeof client.source_lead_id === "string" ? client.source_lead_id : null;

  return (
    <RecordPage
      entity="client"
      record={client}
      subtitle={client.contact_person ? String(client.contact_person) : undefined}
      status={
        <Badge tone={statusTone(String(client.status))}>
          {config.label("client_status", String(client.status ?? ""))}
        </Badge>
      }
      actions={!client.deleted_at && <LogInteraction parent={parent} />}
      notice={
        sourceLead && (
          <p className="text-sm text-slate-600">
            Converted from{" "}
            <Link className="font-medium text-brand-700 underline" to={recordPath("lead", sourceLead)}>
              a {config.noun("lead").toLowerCase()}
            </Link>
            {config.date(client.converted_on) && ` on ${config.date(client.converted_on)}`}.
          </p>
        )
      }
      related={related}
    />
  );
}
