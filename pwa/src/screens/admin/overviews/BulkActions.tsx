// Bulk actions on the selected records: assign, change status, move to Trash. Each asks for
// confirmation, runs through the server's one write path (so devices get it by sync), and ends
// with per-record results: what was done and, for each record that failed, why.
import { useState } from "react";
import { useApp } from "../../../app/AppProvider";
import type { CRMConfig } from "../../../hooks/useCRMConfig";
import type { UserRow } from "../../../store/types";
import { Button } from "../../../ui/Button";
import { Dialog } from "../../../ui/Dialog";
import { Select } from "../../../ui/Field";
import { errorText } from "../shared/messages";
import { type BulkAction, runBulk } from "./api";
import type { OverviewSpec } from "./entities";
import { userLabel } from "./FilterBar";
import { type BulkOutcome, bulkOutcome, type Selection } from "./query";

const UNASSIGN = "none";

interface Pending {
  action: BulkAction;
  value?: string | null;
  /** "Assign to Sam", "Set status to Qualified", "Move to Trash" */
  verb: string;
}

export interface BulkResults extends BulkOutcome {
  verb: string;
}

export function BulkActions({
  spec,
  selection,
  users,
  config,
  onClear,
  onDone,
}: {
  spec: OverviewSpec;
  selection: Selection;
  users: readonly UserRow[];
  config: CRMConfig;
  onClear(): void;
  onDone(results: BulkResults): void;
}) {
  const { api } = useApp();
  const [assignee, setAssignee] = useState("");
  const [status, setStatus] = useState("");
  const [pending, setPending] = useState<Pending | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const noun = config.noun(spec.entity, selection.size !== 1).toLowerCase();
  const statuses = config.options(spec.status.list).filter((o) => !spec.status.lifecycle?.includes(o.value));

  const ask = (next: Pending) => {
    setError(null);
    setPending(next);
  };
  const confirm = async () => {
    if (!pending) return;
    setRunning(true);
    setError(null);
    try {
      const results = await runBulk(api, spec, pending.action, [...selection.keys()], pending.value);
      setPending(null);
      onDone({ verb: pending.verb, ...bulkOutcome(results, selection) });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setRunning(false);
    }
  };
  const assigneeName = (id: string) => {
    const user = users.find((u) => u.id === id);
    return user ? user.name || user.email : id;
  };

  return (
    <section
      aria-label="Bulk actions"
      data-testid="bulk-actions"
      className="flex flex-wrap items-center gap-2 rounded-xl bg-brand-50 p-3 ring-1 ring-brand-100"
    >
      <p className="mr-auto text-sm font-medium text-brand-900">
        {selection.size} {noun} selected
        <Button variant="ghost" className="ml-2 px-2 py-1" onClick={onClear}>
          Clear
        </Button>
      </p>
      {spec.assignable && (
        <div className="flex w-full gap-1 sm:w-auto">
          <Select
            aria-label="Assign to"
            value={assignee}
            onChange={(e) => setAssignee(e.target.value)}
            className="w-44"
          >
            <option value="">Assign to…</option>
            <option value={UNASSIGN}>Nobody (unassign)</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {userLabel(u)}
              </option>
            ))}
          </Select>
          <Button
            variant="secondary"
            className="shrink-0"
            disabled={!assignee}
            onClick={() =>
              ask(
                assignee === UNASSIGN
                  ? { action: "assign", value: null, verb: "Unassign" }
                  : { action: "assign", value: assignee, verb: `Assign to ${assigneeName(assignee)}` },
              )
            }
          >
            Assign
          </Button>
        </div>
      )}
      <div className="flex w-full gap-1 sm:w-auto">
        <Select aria-label="New status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">Status…</option>
          {statuses.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
        <Button
          variant="secondary"
          className="shrink-0 whitespace-nowrap"
          disabled={!status}
          onClick={() =>
            ask({ action: "status", value: status, verb: `Set status to ${config.label(spec.status.list, status)}` })
          }
        >
          Set status
        </Button>
      </div>
      <Button variant="danger" onClick={() => ask({ action: "delete", verb: "Move to Trash" })}>
        Move to Trash
      </Button>
      <Dialog
        open={pending !== null}
        onClose={() => !running && setPending(null)}
        title={`${pending?.verb ?? ""}?`}
        description={`${selection.size} selected ${noun}. ${
          pending?.action === "delete"
            ? "They leave everyone's lists and can be restored from Trash."
            : "Each one changes for everyone; devices get the change when they sync."
        }`}
      >
        {error && (
          <p role="alert" className="mb-3 rounded-lg bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
            {error}
          </p>
        )}
        <div className="flex gap-2">
          <Button
            variant={pending?.action === "delete" ? "danger" : "primary"}
            disabled={running}
            onClick={() => void confirm()}
          >
            {running ? "Working…" : pending?.verb}
          </Button>
          <Button variant="secondary" disabled={running} onClick={() => setPending(null)}>
            Cancel
          </Button>
        </div>
      </Dialog>
    </section>
  );
}

/** What the last bulk action did, announced as it appears. */
export function BulkResultsPanel({ results, onDismiss }: { results: BulkResults | null; onDismiss(): void }) {
  return (
    <div role="status" aria-live="polite" data-testid="bulk-results">
      {results && (
        <div
          className={`rounded-xl p-3 text-sm ring-1 ${results.failed.length ? "bg-amber-50 text-amber-950 ring-amber-200" : "bg-green-50 text-green-900 ring-green-200"}`}
        >
          <div className="flex items-start gap-2">
            <p className="mr-auto font-medium">
              {results.verb}: {results.ok.length} of {results.ok.length + results.failed.length} done
              {results.failed.length > 0 ? `, ${results.failed.length} failed (still selected).` : "."}
            </p>
            <Button variant="ghost" className="-my-1 px-2 py-1" onClick={onDismiss}>
              Dismiss
            </Button>
          </div>
          {results.failed.length > 0 && (
            <ul className="mt-2 list-disc space-y-1 pl-5" data-testid="bulk-failures">
              {results.failed.map((f) => (
                <li key={f.id}>
                  <span className="font-medium">{f.title}</span>: {f.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
