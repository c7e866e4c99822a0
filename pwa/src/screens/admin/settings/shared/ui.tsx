// Pieces every admin settings screen shows: the heading, a form's error and the per-record
// results of a bulk action (the offline notice and load errors: ../../shared/ServerStatus).
import type { ReactNode } from "react";
import { useCRMConfig } from "../../../../hooks/useCRMConfig";
import { type Outcome, outcomeSummary } from "./outcomes";

export function SettingsHeader({
  id,
  title,
  intro,
  actions,
}: {
  id: string;
  title: string;
  intro: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-start gap-3">
      <div className="min-w-0 flex-1">
        <h1 id={id} className="text-xl font-semibold">
          {title}
        </h1>
        <p className="mt-1 text-sm text-slate-600">{intro}</p>
      </div>
      {actions}
    </div>
  );
}

/** A form's error that belongs to no field (or the whole request). */
export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
      {message}
    </p>
  );
}

/** The results of a bulk action, announced (aria-live) and with each failure named. */
export function OutcomeReport({
  outcomes,
  verb,
  testId,
}: {
  outcomes: readonly Outcome[] | null;
  verb: string;
  testId?: string;
}) {
  const config = useCRMConfig();
  const failed = outcomes?.filter((o) => !o.ok) ?? [];
  return (
    <div aria-live="polite" data-testid={testId}>
      {outcomes && (
        <div
          className={`rounded-lg p-3 text-sm ring-1 ring-inset ${failed.length ? "bg-amber-50 text-amber-900 ring-amber-200" : "bg-green-50 text-green-900 ring-green-200"}`}
        >
          <p>{outcomeSummary(outcomes, verb, config.noun)}</p>
          {failed.length > 0 && (
            <ul className="mt-2 list-disc space-y-1 pl-5">
              {failed.map((o) => (
                <li key={`${o.entity}:${o.id}`}>
                  {config.noun(o.entity)} “{o.name ?? o.id}”: {o.error}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
