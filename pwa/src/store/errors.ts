// The device ran out of storage. IndexedDB reports it as a DOMException named
// "QuotaExceededError"; Dexie passes it on under the same name or wraps it (`inner`) in an
// AbortError. A failed write transaction commits nothing, so the outbox is never damaged: the
// edit that did not fit is refused as a whole and the app says so.
export class StorageFullError extends Error {
  constructor(override readonly cause: unknown) {
    super("This device is out of storage space: the change could not be saved here.");
    this.name = "StorageFullError";
  }
}

export function isQuotaError(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const e = current as { name?: unknown; code?: unknown; inner?: unknown; cause?: unknown };
    if (e.name === "QuotaExceededError" || e.name === "StorageFullError" || e.code === 22) return true;
    current = e.inner ?? e.cause;
  }
  return false;
}

export interface StorageProblem {
  /** when the last write failed for lack of space */
  at: string;
  message: string;
}
