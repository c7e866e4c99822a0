// One read from the server and its retries, as a tiny store (useServerData.ts puts it on screen;
// no React here, so it is tested without a DOM). An answer to an older request never replaces a
// newer one. No answer at all (offline, or the connection is not back yet although the browser
// says online) is asked again on its own, backing off; an answer from the server, even an error,
// waits for the person to try again.
import { NetworkError } from "../../../api/http";

export interface ReadState<T> {
  data: T | undefined;
  /** why the last load failed; undefined when it did not (or is under way) */
  error: unknown;
  loading: boolean;
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

/** How long to wait before asking again after `failures` earlier unanswered tries, or null
 * when the error is an answer and is not retried by itself. */
export function retryDelay(error: unknown, failures: number): number | null {
  if (!(error instanceof NetworkError)) return null;
  return Math.min(FIRST_RETRY_MS * 2 ** failures, MAX_RETRY_MS);
}

export class ServerRead<T> {
  private state: ReadState<T>;
  private readonly listeners = new Set<() => void>();
  /** the newest request's number: answers carrying an older one are dropped */
  private current = 0;
  private failures = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(loading: boolean) {
    this.state = { data: undefined, error: undefined, loading };
  }

  readonly getState = (): ReadState<T> => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Ask the server. `keep` shows the data already there meanwhile (a reload, a list under new
   * filters); otherwise it is dropped (another record's data must never show as this one's). */
  start(load: () => Promise<T>, keep: boolean): void {
    this.stop();
    const request = this.current;
    this.set({ data: keep ? this.state.data : undefined, error: undefined, loading: true });
    load().then(
      (data) => {
        if (request !== this.current) return;
        this.failures = 0;
        this.set({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (request !== this.current) return;
        this.set({ ...this.state, error, loading: false });
        const delay = retryDelay(error, this.failures);
        if (delay === null) return;
        this.failures += 1;
        this.retry = setTimeout(() => this.start(load, true), delay);
      },
    );
  }

  /** Forget the request under way and any retry waiting (new inputs, offline, gone). */
  stop(): void {
    this.current += 1;
    clearTimeout(this.retry);
  }

  /** Replace the data with a newer state the server answered a write with. */
  update(change: (current: T | undefined) => T | undefined): void {
    this.set({ ...this.state, data: change(this.state.data) });
  }

  private set(state: ReadState<T>): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
