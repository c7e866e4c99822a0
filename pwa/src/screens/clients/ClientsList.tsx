// Clients on the device: searched, filtered by status, sorted, virtualised.
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { ListScreen } from "../../records/ListScreen";
import type { RecordRow } from "../../store/types";
import { Badge, statusTone } from "../../ui/Badge";

const SEARCHED = ["name", "contact_person", "email", "phone", "city", "business_type"] as const;
const text = (row: RecordRow, key: string) => (row[key] ? String(row[key]) : "—");

export function ClientsList() {
  const config = useCRMConfig();
  return (
    <ListScreen
      entity="client"
      searched={SEARCHED}
      searchHint="Search name, contact, email, phone, city"
      filters={[{ field: "status", label: "Statuses", options: () => config.options("client_status") }]}
      columns={[
        { key: "contact", header: "Contact", render: (r) => text(r, "contact_person") },
        { key: "phone", header: "Phone", render: (r) => text(r, "phone") },
        { key: "city", header: "City", render: (r) => text(r, "city") },
        { key: "type", header: "Business type", render: (r) => text(r, "business_type") },
      ]}
      subtitle={(r) =>
        ["contact_person", "phone", "city"]
          .map((k) => r[k])
          .filter(Boolean)
          .join(" · ")
      }
      status={(r) => (
        <Badge tone={statusTone(String(r.status))}>{config.label("client_status", String(r.status ?? ""))}</Badge>
      )}
    />
  );
}
