// A lead: its fields, interactions, contacts and notes; log an interaction in three taps,
// convert it to a client (offline too), edit, trash.
import { Link, useParams } from "react-router";
import { useWorkspace } from "../../app/AppProvider";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { useLive } from "../../hooks/useLive";
import { recordPath } from "../../records/paths";
import { Badge, statusTone } from "../../ui/Badge";
import { MissingRecord } from "../records/DetailHeader";
import { LogInteraction } from "../records/LogInteraction";
import { RecordPage } from "../records/RecordPage";
import { RelatedSection } from "../records/RelatedSection";
import { ConvertLead } from "./ConvertLead";

export function LeadDetail() {
  const { id = "" } = useParams();
  const { store } = useWorkspace();
  const config = useCRMConfig();
  // undefined while reading, null when the device does not hold it
  const lead = useLive(store, async (s) => (await s.get("lead", id)) ?? null, [id], ["records"]);
  if (lead === undefined) return <p className="text-sm text-slate-500">Loading…</p>;
  if (lead === null) return <MissingRecord entity="lead" id={id} />;
  const parent = { entity: "lead" as const, id, name: String(lead.name ?? "") };
  const converted = lead.lead_status === "converted";
  const clientId = typeof lead.converted_client_id === "string" ? lead.converted_client_id : null;

  return (
    <RecordPage
      entity="lead"
      record={lead}
      subtitle={lead.contact_person ? String(lead.contact_person) : undefined}
      status={
        <Badge tone={statusTone(String(lead.lead_status))}>
          {config.label("lead_status", String(lead.lead_status ?? ""))}
        </Badge>
      }
      actions={
        <>
          {!converted && !lead.deleted_at && <LogInteraction parent={parent} />}
          <ConvertLead lead={lead} />
        </>
      }
      notice={
        converted &&
        clientId && (
          <p className="rounded-lg bg-green-50 p-3 text-sm text-green-900 ring-1 ring-green-200">
            Converted to a {config.noun("client").toLowerCase()}{" "}
            {config.date(lead.converted_on) && `on ${config.date(lead.converted_on)}`}.{" "}
            <Link className="font-medium underline" to={recordPath("client", clientId)}>
              Open the {config.noun("client").toLowerCase()}
            </Link>
          </p>
        )
      }
      related={[
        {
          id: "interactions",
          label: config.noun("interaction", true),
          content: <RelatedSection entity="interaction" parent={parent} actions={<span />} />,
        },
        {
          id: "contacts",
          label: config.noun("contact", true),
          content: <RelatedSection entity="contact" parent={parent} />,
        },
        { id: "notes", label: config.noun("note", true), content: <RelatedSection entity="note" parent={parent} /> },
      ]}
    />
  );
}
