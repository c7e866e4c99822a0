// Two tabs of one device share one outbox: a sync round (push + pull) runs under a lock so they
// never push the same entries twice. The Web Locks API spans tabs; where a browser lacks it the
// lock holds within the tab only, and the server still answers a repeated mid as `duplicate`.
type LockManagerLike = {
  request<T>(name: string, options: { mode: "exclusive" }, callback: () => Promise<T>): Promise<T>;
};

export type SyncLock = <T>(fn: () => Promise<T>) => Promise<T>;

function inTabMutex(): SyncLock {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

export function createSyncLock(name: string, locks: LockManagerLike | undefined = defaultLocks()): SyncLock {
  if (!locks) return inTabMutex();
  return <T>(fn: () => Promise<T>) => locks.request(name, { mode: "exclusive" }, fn);
}

function defaultLocks(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks && typeof nav.locks.request === "function" ? nav.locks : undefined;
}
