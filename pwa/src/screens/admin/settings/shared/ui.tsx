// Pieces every admin settings screen shows: the heading, the "needs a connection" notice, load
// errors with a retry, and the per-record results of a bulk action.
import type { ReactNode } from "react";
import { useCRMConfig } from "../../../../hooks/useCRMConfig";
import { Button } from "../../../../ui/Button";
import { type Outcome, outcomeSummary } from "./outcomes";
import type { ServerData } from "./useServerData";

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

/** Offline: what this screen cannot do and why (it works on the server, not on the device). */
export function NeedsConnection({ what }: { what: string }) {
  return (
    <p
      role="status"
      data-testid="needs-connection"
      className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200"
    >
      You are offline. {what} works on the server for the whole company, so it needs a connection. Nothing here is kept
      on this device; the rest of the app keeps working offline.
    </p>
  );
}

/** The loader's state: the offline notice, a load error with a retry, or "Loading…". */
export function LoadStatus<T>({ state, what }: { state: ServerData<T>; what: string }) {
  if (!state.online) return <NeedsConnection what={what} />;
  if (state.error) {
    return (
      <div role="alert" className="flex flex-wrap items-center gap-3 rounded-lg bg-red-50 p-3 text-sm text-red-900">
        <span className="flex-1">Could not load: {state.error}</span>
        <Button variant="secondary" onClick={state.reload}>
          Try again
        </Button>
      </div>
    );
  }
  if (state.loading && state.data === undefined) return <p className="text-sm text-slate-500">Loading…</p>;
  return null;
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
