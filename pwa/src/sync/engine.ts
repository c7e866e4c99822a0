// Runs sync in the app: when to sync (start, local edits, pokes, reconnect, online, focus, a
// slow timer), how to retry (backoff with jitter), and what to tell the user (SyncStatus).
// The protocol itself is SyncClient's; the engine only schedules it.
import { HttpError, NetworkError } from "../api/http";
import { websocketUrl } from "../config/env";
import type { LocalStore } from "../store/store";
import type { LocalMutation, OutboxEntry } from "../store/types";
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from "./backoff";
import { isAuthError, isUpgradeRequired, type SyncClient } from "./client";
import { createSyncLock, type SyncLock } from "./lock";
import { PokeSocket, type WebSocketFactory } from "./pokes";
import { SYNC_PATHS } from "./protocol";

export type SyncPhase = "idle" | "syncing" | "offline" | "retrying" | "auth-required" | "update-required";

export interface SyncStatus {
  phase: SyncPhase;
  online: boolean;
  live: boolean;
  lastError: string | null;
  nextRetryAt: number | null;
}

export interface SyncEngineOptions {
  client: SyncClient;
  getToken: () => string | null;
  /** false once the session has expired on this device's clock: sync stops with "sign in
   * again" without calling the server; local work and the outbox carry on untouched */
  sessionValid?: () => boolean;
  apiUrl: string;
  lock?: SyncLock;
  backoff?: BackoffPolicy;
  random?: () => number;
  webSocket?: WebSocketFactory | null;
  /** a sync every so often even without pokes (ms) */
  safetyIntervalMs?: number;
  /** local edits are pushed after this quiet time (ms), so typing bursts batch together */
  debounceMs?: number;
}

type Listener = (status: SyncStatus) => void;

const isOnline = () => (typeof navigator === "undefined" ? true : navigator.onLine !== false);

export class SyncEngine {
  readonly store: LocalStore;
  private status: SyncStatus = { phase: "idle", online: isOnline(), live: false, lastError: null, nextRetryAt: null };
  private listeners = new Set<Listener>();
  private running = false;
  private again = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private socketTimer: ReturnType<typeof setTimeout> | null = null;
  private socketAttempt = 0;
  private interval: ReturnType<typeof setInterval> | null = null;
  private pokes: PokeSocket | null = null;
  private stopped = true;
  private readonly lock: SyncLock;
  private readonly cleanups: (() => void)[] = [];

  constructor(private readonly options: SyncEngineOptions) {
    this.store = options.client.store;
    this.lock = options.lock ?? createSyncLock(`pathsix-sync:${this.store.userId}`);
  }

  // ---- lifecycle ------------------------------------------------------------------------

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.listen();
    this.openSocket();
    this.interval = setInterval(() => this.request(), this.options.safetyIntervalMs ?? 5 * 60_000);
    this.request();
  }

  stop(): void {
    this.stopped = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    for (const t of [this.timer, this.socketTimer]) if (t) clearTimeout(t);
    if (this.interval) clearInterval(this.interval);
    this.timer = this.socketTimer = this.interval = null;
    this.pokes?.close();
    this.pokes = null;
  }

  /** After signing in again (a 401 stopped sync): resume with the queue intact. */
  resumeAfterLogin(): void {
    this.attempt = 0;
    this.set({ phase: "idle", lastError: null });
    this.openSocket();
    this.request();
  }

  // ---- the app's entry points -----------------------------------------------------------

  /** A local edit: applied to the store at once, pushed soon. */
  async mutate(mutation: LocalMutation): Promise<OutboxEntry> {
    const entry = await this.store.mutate(mutation);
    this.request(this.options.debounceMs ?? 300);
    return entry;
  }

  /** Ask for a sync round (coalesced with one already running or scheduled). */
  request(delayMs = 0): void {
    if (this.stopped || this.blocked()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(delayMs, false);
  }

  getStatus(): SyncStatus {
    return this.status;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- internals ------------------------------------------------------------------------

  private blocked(): boolean {
    return this.status.phase === "auth-required" || this.status.phase === "update-required";
  }

  private set(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const listener of this.listeners) listener(this.status);
  }

  private schedule(delayMs: number, retry: boolean): void {
    if (this.timer) {
      // A retry waits its turn; an explicit request (online, focus, poke) cuts a wait short.
      if (retry) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, delayMs);
  }

  private async run(): Promise<void> {
    if (this.stopped || this.running || this.blocked()) return;
    if (this.options.sessionValid && !this.options.sessionValid()) {
      this.pokes?.close();
      this.set({ phase: "auth-required", lastError: "Your session has expired. Sign in again to sync." });
      return;
    }
    this.running = true;
    this.again = false;
    this.set({ phase: "syncing", nextRetryAt: null });
    try {
      await this.lock(() => this.options.client.sync());
      this.attempt = 0;
      // The server answered; but if the browser went offline while it did, the "offline" event
      // has the last word (a late success must not flip the indicator back to online).
      const online = isOnline();
      this.set({ phase: online ? "idle" : "offline", lastError: null, online });
    } catch (err) {
      this.fail(err);
    } finally {
      this.running = false;
    }
    if (this.again && !this.blocked() && !this.timer) this.schedule(0, false);
  }

  private fail(err: unknown): void {
    if (isAuthError(err)) {
      this.pokes?.close();
      this.set({ phase: "auth-required", lastError: "Your session has ended. Sign in again to sync." });
      return;
    }
    if (isUpgradeRequired(err)) {
      this.set({ phase: "update-required", lastError: "A new version of the app is required to sync." });
      return;
    }
    this.attempt += 1;
    const retryAfter = err instanceof HttpError ? err.retryAfterSeconds : null;
    const delay = backoffDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random, retryAfter);
    const offline = err instanceof NetworkError;
    this.set({
      phase: offline ? "offline" : "retrying",
      online: offline ? false : this.status.online,
      lastError: err instanceof Error ? err.message : String(err),
      nextRetryAt: Date.now() + delay,
    });
    this.again = false;
    this.schedule(delay, true);
  }

  private listen(): void {
    if (typeof window === "undefined") return;
    const on = <K extends keyof WindowEventMap>(name: K, fn: () => void) => {
      window.addEventListener(name, fn);
      this.cleanups.push(() => window.removeEventListener(name, fn));
    };
    on("online", () => {
      this.set({ online: true });
      this.attempt = 0;
      this.openSocket();
      this.request();
    });
    on("offline", () => this.set({ online: false, phase: this.running ? "syncing" : "offline" }));
    on("focus", () => this.request());
    const visible = () => {
      if (document.visibilityState === "visible") this.request();
    };
    document.addEventListener("visibilitychange", visible);
    this.cleanups.push(() => document.removeEventListener("visibilitychange", visible));
  }

  private openSocket(): void {
    const factory = this.options.webSocket;
    const token = this.options.getToken();
    if (this.stopped || factory === null || !token) return;
    if (this.options.sessionValid && !this.options.sessionValid()) return;
    if (typeof WebSocket === "undefined" && !factory) return;
    if (this.socketTimer) clearTimeout(this.socketTimer);
    this.socketTimer = null;
    this.pokes ??= new PokeSocket(
      websocketUrl(SYNC_PATHS.ws, this.options.apiUrl),
      {
        onReady: () => {
          // (Re)connected: whatever happened while the socket was down is pulled now.
          this.socketAttempt = 0;
          this.set({ live: true, online: true });
          this.request();
        },
        onPoke: (seq) => {
          // Our own push pokes us too: pull only for changes newer than what we hold.
          void this.store.meta().then((meta) => {
            if (seq > meta.base_seq) this.request();
          });
        },
        onAuthError: () => this.set({ live: false }),
        onClosed: () => {
          this.set({ live: false });
          this.reconnectSocket();
        },
      },
      factory,
    );
    this.pokes.open(token);
  }

  private reconnectSocket(): void {
    if (this.stopped || this.blocked() || this.socketTimer) return;
    this.socketAttempt += 1;
    const delay = backoffDelay(this.socketAttempt, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    this.socketTimer = setTimeout(() => {
      this.socketTimer = null;
      this.openSocket();
    }, delay);
  }
}
