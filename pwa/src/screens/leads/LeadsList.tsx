// Leads on the device: searched, filtered by status and source, sorted, virtualised.
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { ListScreen } from "../../records/ListScreen";
import { distinctValues } from "../../records/listQuery";
import type { RecordRow } from "../../store/types";
import { Badge, statusTone } from "../../ui/Badge";

export const LEAD_SEARCHED = ["name", "contact_person", "email", "phone", "city", "lead_source"] as const;

const line = (row: RecordRow, keys: string[]) =>
  keys
    .map((k) => row[k])
    .filter(Boolean)
    .join(" · ");

export function LeadsList() {
  const config = useCRMConfig();
  return (
    <ListScreen
      entity="lead"
      searched={LEAD_SEARCHED}
      searchHint="Search name, contact, email, phone, city"
      filters={[
        { field: "lead_status", label: "Statuses", options: () => config.options("lead_status") },
        {
          field: "lead_source",
          label: "Sources",
          options: (rows) =>
            distinctValues(rows, "lead_source", config.lead_sources).map((v) => ({ value: v, label: v })),
        },
      ]}
      columns={[
        { key: "contact", header: "Contact", render: (r) => line(r, ["contact_person"]) || "—" },
        { key: "phone", header: "Phone", render: (r) => line(r, ["phone"]) || "—" },
        { key: "city", header: "City", render: (r) => line(r, ["city"]) || "—" },
        { key: "source", header: "Source", render: (r) => line(r, ["lead_source"]) || "—" },
      ]}
      subtitle={(r) => line(r, ["contact_person", "phone", "city"])}
      status={(r) => (
        <Badge tone={statusTone(String(r.lead_status))}>
          {config.label("lead_status", String(r.lead_status ?? ""))}
        </Badge>
      )}
    />
  );
}
