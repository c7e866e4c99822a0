// Select the listed conflicts and resolve them together with one side
// (POST /admin/conflicts/resolve): confirmed first, then the per-id results in words.
import { useEffect, useRef, useState } from "react";
import { useApp } from "../../../app/AppProvider";
import { Button } from "../../../ui/Button";
import { Dialog } from "../../../ui/Dialog";
import { useSubmit } from "../shared/useSubmit";
import { bulkResolve } from "./api";
import { shortId } from "./labels";
import { type BulkAction, type BulkOutcome, bulkOutcome, outcomeText, type Selection } from "./selection";

export function BulkBar({
  actions,
  selection,
  state,
  onToggleAll,
  onDone,
}: {
  actions: BulkAction[];
  selection: Selection;
  state: "all" | "some" | "none";
  onToggleAll(): void;
  onDone(outcome: BulkOutcome): void;
}) {
  const { api } = useApp();
  const all = useRef<HTMLInputElement>(null);
  const [confirming, setConfirming] = useState<BulkAction | null>(null);
  const { busy, error, run: submit } = useSubmit();
  const count = selection.size;

  useEffect(() => {
    if (all.current) all.current.indeterminate = state === "some";
  }, [state]);

  const run = (action: BulkAction) =>
    submit(async () => {
      const response = await bulkResolve(api, { ids: [...selection], choice: action.choice });
      setConfirming(null);
      onDone(bulkOutcome(response.results));
    });

  return (
    <div className="space-y-2" data-testid="bulk-bar">
      <div className="flex flex-wrap items-center gap-2 rounded-xl bg-slate-50 px-3 py-2 ring-1 ring-slate-200">
        <label className="flex w-full items-center gap-2 text-sm text-slate-700 sm:mr-auto sm:w-auto">
          <input
            ref={all}
            type="checkbox"
            className="h-4 w-4 rounded border-slate-300 accent-brand-700"
            checked={state === "all"}
            onChange={onToggleAll}
          />
          {count ? `${count} selected` : "Select all shown"}
        </label>
        {actions.map((action) => (
          <Button
            key={action.choice}
            variant="secondary"
            className="px-2.5 py-1.5"
            disabled={count === 0}
            onClick={() => setConfirming(action)}
          >
            {action.label}
          </Button>
        ))}
      </div>
      <Dialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        title={`${confirming?.label ?? ""} for ${count} conflict${count === 1 ? "" : "s"}?`}
        description={confirming?.effect}
      >
        {error && (
          <p role="alert" className="mb-3 text-sm text-red-700">
            {error}
          </p>
        )}
        <div className="flex gap-2">
          <Button disabled={busy} onClick={() => confirming && void run(confirming)}>
            {busy ? "Resolving…" : confirming?.label}
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(null)}>
            Cancel
          </Button>
        </div>
      </Dialog>
    </div>
  );
}

/** What the last bulk resolution did, per id for the failures. */
export function BulkOutcomeNote({ outcome }: { outcome: BulkOutcome | null }) {
  return (
    <div aria-live="polite" data-testid="bulk-outcome">
      {outcome && (
        <div className="text-sm">
          <p className={outcome.failed.length ? "text-amber-800" : "text-green-700"}>{outcomeText(outcome)}</p>
          {outcome.failed.length > 0 && (
            <ul className="mt-1 list-disc pl-5 text-xs text-slate-600">
              {outcome.failed.map((f) => (
                <li key={f.id}>
                  <span className="font-mono">{shortId(f.id)}</span>: {f.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
