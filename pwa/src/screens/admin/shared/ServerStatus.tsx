// What a screen that works on the server shows in place of its content: the "needs a connection"
// notice, a load error with a retry, or "Loading…" (the words are in messages.ts).
import type { ReactNode } from "react";
import { Button } from "../../../ui/Button";
import { connectionText, loadErrorText } from "./messages";
import { type ServerData, useConnection } from "./useServerData";

/** Offline (or signed out): what this screen cannot do and why; `children` add to it. */
export function NeedsConnection({ what, children }: { what: string; children?: ReactNode }) {
  const connection = useConnection();
  return (
    <p
      role="status"
      data-testid="needs-connection"
      className="rounded-xl bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200"
    >
      {connectionText(connection === "online" ? "offline" : connection, what)}
      {children && <> {children}</>}
    </p>
  );
}

export function LoadError({ error, onRetry }: { error: unknown; onRetry(): void }) {
  return (
    <div
      role="alert"
      data-testid="load-error"
      className="flex flex-wrap items-center gap-3 rounded-xl bg-red-50 p-3 text-sm text-red-900 ring-1 ring-inset ring-red-200"
    >
      <span className="min-w-0 flex-1">{loadErrorText(error)}</span>
      <Button variant="secondary" onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}

/** The loader's state: the offline notice, a load error with a retry, "Loading…", or nothing. */
export function LoadStatus<T>({ state, what }: { state: ServerData<T>; what: string }) {
  if (!state.online) return <NeedsConnection what={what} />;
  if (state.error !== undefined) return <LoadError error={state.error} onRetry={state.reload} />;
  if (state.loading && state.data === undefined) {
    return (
      <p className="text-sm text-slate-500" aria-live="polite">
        Loading…
      </p>
    );
  }
  return null;
}
