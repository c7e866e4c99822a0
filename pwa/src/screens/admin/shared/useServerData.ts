// The admin screens and the reports read and write the server directly: the whole tenant is not
// on the device, so unlike the rest of the app they need a connection. These hooks say whether
// there is one, and load while there is: "offline" instead of spinning, again once back online.
import { type DependencyList, useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { useWorkspace } from "../../../app/AppProvider";
import type { Connection } from "./messages";
import { type ReadState, ServerRead } from "./serverRead";

function subscribeBrowser(notify: () => void): () => void {
  window.addEventListener("online", notify);
  window.addEventListener("offline", notify);
  return () => {
    window.removeEventListener("online", notify);
    window.removeEventListener("offline", notify);
  };
}

/** Whether the server can be asked now. The sync engine's status and the browser's must both
 * say online: either one alone can lag behind the other. */
export function useConnection(): Connection {
  const { engine } = useWorkspace();
  const subscribe = useCallback((notify: () => void) => engine.subscribe(notify), [engine]);
  const { online, phase } = useSyncExternalStore(subscribe, () => engine.getStatus());
  const browserOnline = useSyncExternalStore(
    subscribeBrowser,
    () => navigator.onLine,
    () => true,
  );
  if (!online || !browserOnline || phase === "offline") return "offline";
  if (phase === "auth-required") return "signed-out";
  return "online";
}

export interface ServerData<T> extends ReadState<T> {
  /** whether the server can be asked now (useConnection) */
  online: boolean;
  /** ask again, showing what is there meanwhile */
  reload(): void;
  /** replace the loaded value after a write answered with the new state */
  update(change: (current: T | undefined) => T | undefined): void;
}

export interface ServerDataOptions {
  /** false: do not ask (yet), e.g. while the inputs are not ready. Default true. */
  enabled?: boolean;
  /** new inputs start empty, instead of showing the previous inputs' data while they load */
  clearOnChange?: boolean;
}

/** Load while online (and `enabled`): at once, again when `deps` change, on reload() and on
 * coming back online. Offline it does not try: the screen shows NeedsConnection instead. */
export function useServerData<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  { enabled = true, clearOnChange = false }: ServerDataOptions = {},
): ServerData<T> {
  const online = useConnection() === "online";
  const asking = online && enabled;
  const [read] = useState(() => new ServerRead<T>(asking));
  const state = useSyncExternalStore(read.subscribe, read.getState);
  const loadRef = useRef(load);
  loadRef.current = load;
  const [round, setRound] = useState(0);
  const lastRound = useRef(round);

  useEffect(() => {
    if (!asking) return;
    const reloading = lastRound.current !== round;
    lastRound.current = round;
    read.start(() => loadRef.current(), reloading || !clearOnChange);
    return () => read.stop();
  }, [read, asking, round, clearOnChange, ...deps]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  const update = useCallback((change: (current: T | undefined) => T | undefined) => read.update(change), [read]);
  return { ...state, online, reload, update };
}
