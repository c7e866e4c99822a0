// Projects on the device: searched, filtered by status, sorted, virtualised; worth in the
// tenant's currency, dates in its format.
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { ListScreen } from "../../records/ListScreen";
import { useNames } from "../../records/RecordDetails";
import { Badge, statusTone } from "../../ui/Badge";

const SEARCHED = ["name", "description", "notes"] as const;

export function ProjectsList() {
  const config = useCRMConfig();
  const names = useNames();
  const client = (id: unknown) => (typeof id === "string" ? (names.clients.get(id) ?? "—") : "—");
  return (
    <ListScreen
      entity="project"
      searched={SEARCHED}
      searchHint="Search name, description"
      filters={[{ field: "project_status", label: "Statuses", options: () => config.options("project_status") }]}
      columns={[
        { key: "client", header: "Client", render: (r) => client(r.client_id) },
        { key: "worth", header: "Worth", render: (r) => config.money(r.project_worth) || "—" },
        { key: "start", header: "Start", render: (r) => config.date(r.project_start) || "—" },
        { key: "end", header: "End", render: (r) => config.date(r.project_end) || "—" },
      ]}
      subtitle={(r) => [client(r.client_id), config.money(r.project_worth)].filter((v) => v && v !== "—").join(" · ")}
      status={(r) => (
        <Badge tone={statusTone(String(r.project_status))}>
          {config.label("project_status", String(r.project_status ?? ""))}
        </Badge>
      )}
    />
  );
}
