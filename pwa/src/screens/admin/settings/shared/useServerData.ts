// The admin settings read and write the server directly: the whole tenant is not on the device,
// so unlike the rest of the app they need a connection. This loader says "offline" instead of
// spinning, and loads again once back online.
import { useCallback, useEffect, useRef, useState } from "react";
import { useSyncStatus } from "../../../../hooks/useSyncStatus";
import { errorText } from "./errors";

export interface ServerData<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  online: boolean;
  reload(): void;
  /** replace the loaded value after a write answered with the new state */
  update(change: (current: T | undefined) => T | undefined): void;
}

/** Load from the server once, again on `reload` and on coming back online. Offline it does not
 * try: the screen shows its "needs a connection" notice instead. */
export function useServerData<T>(load: () => Promise<T>, deps: readonly unknown[]): ServerData<T> {
  const { online } = useSyncStatus();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [round, setRound] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's query inputs
  useEffect(() => {
    if (!online) return;
    let alive = true;
    setLoading(true);
    setError(null);
    loadRef.current().then(
      (value) => {
        if (!alive) return;
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (!alive) return;
        setError(errorText(err));
        setLoading(false);
      },
    );
    return () => {
      alive = false;
    };
  }, [online, round, ...deps]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, online, reload, update: setData };
}
