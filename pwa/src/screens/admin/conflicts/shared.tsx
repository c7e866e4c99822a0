// What the conflict screens share: loading from the server while online, errors in words, the
// "needs a connection" notice, and the names of users and clients on this device.
import { type DependencyList, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { HttpError, NetworkError } from "../../../api/http";
import { useWorkspace } from "../../../app/AppProvider";
import { useLive } from "../../../hooks/useLive";
import { useSyncStatus } from "../../../hooks/useSyncStatus";
import type { Names } from "../../../records/display";
import type { UserRow } from "../../../store/types";
import { Badge } from "../../../ui/Badge";
import { Button } from "../../../ui/Button";
import { STATUS_LABELS, STATUS_TONES } from "./labels";
import type { ConflictStatus } from "./query";

/** The browser's own word on connectivity, live. */
function useBrowserOnline(): boolean {
  return useSyncExternalStore(
    (notify) => {
      window.addEventListener("online", notify);
      window.addEventListener("offline", notify);
      return () => {
        window.removeEventListener("online", notify);
        window.removeEventListener("offline", notify);
      };
    },
    () => navigator.onLine,
    () => true,
  );
}

/** Why the server cannot be asked now (offline, signed out), or null. The sync engine's status
 * and the browser's must both say online: either one alone can lag behind the other. */
export function useConnectionBlocker(): string | null {
  const { online, phase } = useSyncStatus();
  const browserOnline = useBrowserOnline();
  if (!online || !browserOnline || phase === "offline") {
    return "You are offline. Conflicts are reviewed and resolved on the server: connect to see them.";
  }
  if (phase === "auth-required") return "Sign in again to review conflicts.";
  return null;
}

export function errorText(err: unknown): string {
  if (err instanceof NetworkError) return "The server could not be reached. Check the connection and try again.";
  if (err instanceof HttpError) {
    if (err.status === 404) return "This conflict does not exist (or no longer does).";
    if (err.status === 403) return "Only administrators can review conflicts.";
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export interface Remote<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
  /** replace the data with a newer answer (a resolve returns the conflict as it is now) */
  set(value: T): void;
}

/** Load from the server while `enabled` (online), again when deps change or on reload(). An
 * answer to an older request never replaces a newer one. No answer at all (the connection
 * dropped, or is not back yet although the browser says online) is retried on its own, backing
 * off up to 30 s. */
export function useRemote<T>(load: () => Promise<T>, deps: DependencyList, enabled: boolean): Remote<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: enabled });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const lastTick = useRef(tick);
  const failures = useRef(0);
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    // A reload keeps showing what is there meanwhile; new inputs never show the old answer.
    const reloading = lastTick.current !== tick;
    lastTick.current = tick;
    setState((s) => ({ data: reloading ? s.data : undefined, loading: true }));
    loadRef.current().then(
      (data) => {
        if (!current) return;
        failures.current = 0;
        setState({ data, loading: false });
      },
      (error: unknown) => {
        if (!current) return;
        setState((s) => ({ data: s.data, error, loading: false }));
        if (error instanceof NetworkError) {
          retry = setTimeout(() => setTick((t) => t + 1), Math.min(1000 * 2 ** failures.current, 30_000));
          failures.current += 1;
        }
      },
    );
    return () => {
      current = false;
      clearTimeout(retry);
    };
  }, [enabled, tick, ...deps]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const set = useCallback((data: T) => setState({ data, loading: false }), []);
  return { data: state.data, error: state.error, loading: state.loading, reload, set };
}

/** The users and clients this device knows, by id, for names instead of ids. */
export function useNames(): Names & { userList: UserRow[] } {
  const { store } = useWorkspace();
  const users = useLive(store, (s) => s.users(), [], ["users"]);
  const clients = useLive(store, (s) => s.list("client"), [], ["records"]);
  return useMemo(() => {
    const userList = [...(users ?? [])].sort((a, b) => (a.name || a.email).localeCompare(b.name || b.email));
    return {
      userList,
      users: new Map(userList.map((u) => [u.id, u.name || u.email])),
      clients: new Map((clients ?? []).map((c) => [c.id, String(c.name ?? "")])),
    };
  }, [users, clients]);
}

export function StatusBadge({ status }: { status: ConflictStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}

export function OfflineNotice({ message }: { message: string }) {
  return (
    <p
      role="status"
      className="rounded-xl bg-amber-50 p-4 text-sm text-amber-900 ring-1 ring-amber-200"
      data-testid="conflicts-offline"
    >
      {message}
    </p>
  );
}

export function LoadError({ error, onRetry }: { error: unknown; onRetry(): void }) {
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-3 rounded-xl bg-red-50 p-4 text-sm text-red-800 ring-1 ring-red-200"
    >
      <span className="min-w-0 flex-1">
        {errorText(error)}
        {error instanceof NetworkError && " Trying again automatically."}
      </span>
      <Button variant="secondary" onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}
