import { Link, useNavigate, useParams } from "react-router";
import { useWorkspace } from "../../app/AppProvider";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { useLive } from "../../hooks/useLive";
import { useSyncStatus } from "../../hooks/useSyncStatus";
import { Badge, statusTone } from "../../ui/Badge";
import { Button, buttonClass } from "../../ui/Button";
import { relativeTime } from "../../ui/time";
import { LEAD_FORM_FIELDS, LEAD_LABELS } from "./leadFields";

export function LeadDetail() {
  const { id = "" } = useParams();
  const { store, engine } = useWorkspace();
  const config = useCRMConfig();
  const sync = useSyncStatus();
  const navigate = useNavigate();
  const lead = useLive(store, (s) => s.get("lead", id), [id], ["records"]);
  const users = useLive(store, (s) => s.users(), [], ["users"]);
  const rejected = useLive(store, async (s) => (await s.rejected()).filter((r) => r.id === id), [id], ["outbox"]);

  const refusal = rejected && rejected.length > 0 && (
    <div role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
      The server refused {rejected.length === 1 ? "a change" : `${rejected.length} changes`} to this lead
      {rejected[0]?.error ? `: ${rejected[0].error.error}` : "."}{" "}
      <Link
        className="font-medium underline"
        to={`/leads/${id}/edit?fix=${encodeURIComponent(rejected[0]?.key ?? "")}`}
      >
        Review and fix
      </Link>
    </div>
  );

  if (lead === undefined) {
    // A refused create leaves no record behind: the refusal (and its fix) is all there is.
    return (
      <div className="space-y-3">
        {refusal || (
          <p className="text-sm text-slate-500">
            This lead is not on this device (it may have been reassigned or deleted).
          </p>
        )}
        <Link to="/leads" className={buttonClass("secondary")}>
          Back to leads
        </Link>
      </div>
    );
  }

  const display = (name: (typeof LEAD_FORM_FIELDS)[number]): string => {
    const value = lead[name];
    if (value === null || value === undefined || value === "") return "—";
    if (name === "lead_status") return config.label("lead_status", String(value));
    if (name === "phone_label" || name === "secondary_phone_label") return config.label("phone_label", String(value));
    if (name === "assigned_to") return users?.find((u) => u.id === value)?.name || String(value);
    return String(value);
  };

  const trash = async () => {
    await engine.mutate({ entity: "lead", id, op: "delete" });
    navigate("/leads");
  };

  return (
    <article className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <Link to="/leads" className="text-sm text-slate-500 hover:underline">
          ← Leads
        </Link>
      </div>
      <div className="flex flex-wrap items-start gap-3">
        <div className="mr-auto">
          <h1 className="text-xl font-semibold">{String(lead.name)}</h1>
          <p className="text-xs text-slate-500">Updated {relativeTime(String(lead.updated_at ?? ""))}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {lead.deleted_at ? <Badge tone="red">In Trash</Badge> : null}
          {sync.reviewIds.has(id) && <Badge tone="amber">Waiting for review</Badge>}
          {sync.pendingIds.has(id) && <Badge>Pending sync</Badge>}
          <Badge tone={statusTone(String(lead.lead_status))}>{display("lead_status")}</Badge>
        </div>
      </div>
      {refusal}
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded-xl bg-white p-4 ring-1 ring-slate-200 sm:grid-cols-2">
        {LEAD_FORM_FIELDS.filter((f) => f !== "name").map((f) => (
          <div key={f} className={f === "notes" ? "sm:col-span-2" : ""}>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{LEAD_LABELS[f]}</dt>
            <dd className="whitespace-pre-wrap text-sm">{display(f)}</dd>
          </div>
        ))}
      </dl>
      <div className="flex flex-wrap gap-2">
        <Link to={`/leads/${id}/edit`} className={buttonClass("primary")}>
          Edit
        </Link>
        {lead.deleted_at ? (
          <Button variant="secondary" onClick={() => void engine.mutate({ entity: "lead", id, op: "restore" })}>
            Restore
          </Button>
        ) : (
          <Button variant="danger" onClick={() => void trash()}>
            Move to Trash
          </Button>
        )}
      </div>
    </article>
  );
}
