// Scheduling around the protocol: the cross-tab lock, backoff, auth and upgrade stops, pokes.
import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpError, NetworkError } from "../src/api/http";
import type { PullRequest, PullResponse, PushRequest, PushResponse } from "../src/contracts/zod";
import { MemoryBackend } from "../src/store/memory";
import { LocalStore } from "../src/store/store";
import { backoffDelay } from "../src/sync/backoff";
import { SyncClient } from "../src/sync/client";
import { SyncEngine } from "../src/sync/engine";
import { createSyncLock } from "../src/sync/lock";
import { PokeSocket } from "../src/sync/pokes";
import type { SyncTransport } from "../src/sync/transport";

const USER = "5b0a3c8e-0000-4000-8000-000000000001";
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** A server that only counts: applies every new mid once, remembers what it saw. */
class CountingServer implements SyncTransport {
  last = 0;
  received: number[] = [];
  sent: number[] = [];
  failWith: unknown = null;
  async push(request: PushRequest): Promise<PushResponse> {
    if (this.failWith) throw this.failWith;
    this.sent.push(...request.mutations.map((m) => m.mid));
    await new Promise((r) => setTimeout(r, 5));
    const results = request.mutations.map((m) => {
      if (m.mid <= this.last)
        return {
          mid: m.mid,
          status: "duplicate" as const,
          seq: null,
          conflict_id: null,
          error: null,
          original_status: null,
        };
      this.last = m.mid;
      this.received.push(m.mid);
      return {
        mid: m.mid,
        status: "applied" as const,
        seq: m.mid,
        conflict_id: null,
        error: null,
        original_status: null,
      };
    });
    return { results, last_mutation_id: this.last, seq: this.last };
  }
  async pull(_request: PullRequest): Promise<PullResponse> {
    if (this.failWith) throw this.failWith;
    return {
      changes: [],
      cursor: `c${this.last}`,
      has_more: false,
      reset: false,
      last_mutation_id: this.last,
      server_seq: this.last,
    };
  }
}

/** navigator.locks as browsers implement it for one origin: exclusive, queued by name. */
function fakeLockManager() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    request<T>(name: string, _options: { mode: "exclusive" }, fn: () => Promise<T>): Promise<T> {
      const run = (tails.get(name) ?? Promise.resolve()).then(fn, fn);
      tails.set(
        name,
        run.catch(() => undefined),
      );
      return run;
    },
  };
}

describe("two tabs of one device", () => {
  for (const [name, locks] of [
    ["Web Locks", fakeLockManager()],
    ["no Web Locks (in-tab mutex shared by both clients)", undefined],
  ] as const) {
    it(`never push the same outbox entry twice (${name})`, async () => {
      const backend = new MemoryBackend();
      const server = new CountingServer();
      const tab1 = new SyncClient(new LocalStore(backend, { userId: USER }), server);
      const tab2 = new SyncClient(new LocalStore(backend, { userId: USER }), server);
      for (let i = 1; i <= 6; i += 1) {
        await tab1.store.mutate({ entity: "lead", id: id(i), op: "create", fields: { name: `L${i}` } });
      }
      const lock = createSyncLock("pathsix-sync:test", locks);
      await Promise.all([lock(() => tab1.sync()), lock(() => tab2.sync()), lock(() => tab1.sync())]);
      expect(server.sent).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await tab2.store.outbox()).toEqual([]);
    });
  }

  it("would send entries twice without the lock (the hazard the lock removes)", async () => {
    const backend = new MemoryBackend();
    const server = new CountingServer();
    const tab1 = new SyncClient(new LocalStore(backend, { userId: USER }), server);
    const tab2 = new SyncClient(new LocalStore(backend, { userId: USER }), server);
    await tab1.store.mutate({ entity: "lead", id: id(1), op: "create", fields: { name: "L1" } });
    await Promise.all([tab1.sync(), tab2.sync()]);
    expect(server.sent).toEqual([1, 1]);
    expect(server.received).toEqual([1]); // the server's duplicate check is the last line
  });
});

describe("backoff", () => {
  it("grows exponentially with jitter, is capped, and honours Retry-After", () => {
    const policy = { baseMs: 1000, capMs: 60_000 };
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 1)).toBe(1000);
    expect(backoffDelay(4, policy, () => 1)).toBe(8000);
    expect(backoffDelay(30, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(1, policy, () => 0, 30)).toBe(30_000);
  });
});

describe("SyncEngine", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const setup = (sessionValid?: () => boolean) => {
    const server = new CountingServer();
    const store = new LocalStore(new MemoryBackend(), { userId: USER });
    const engine = new SyncEngine({
      client: new SyncClient(store, server),
      getToken: () => "t",
      ...(sessionValid ? { sessionValid } : {}),
      apiUrl: "http://127.0.0.1:1",
      webSocket: null,
      random: () => 1,
      backoff: { baseMs: 1000, capMs: 8000 },
      debounceMs: 10,
    });
    return { server, store, engine };
  };

  it("retries with backoff while offline and never loses the queue", async () => {
    vi.useFakeTimers();
    const { server, engine } = setup();
    server.failWith = new NetworkError("offline");
    engine.start();
    await engine.mutate({ entity: "lead", id: id(1), op: "create", fields: { name: "Offline" } });
    await vi.advanceTimersByTimeAsync(50);
    expect(engine.getStatus().phase).toBe("offline");
    const firstRetry = engine.getStatus().nextRetryAt;
    expect(firstRetry).not.toBeNull();
    server.failWith = null;
    await vi.advanceTimersByTimeAsync(1_100);
    expect(engine.getStatus().phase).toBe("idle");
    expect(server.received).toEqual([1]);
    engine.stop();
  });

  it("stops on 401 until signed in again, keeping the outbox", async () => {
    vi.useFakeTimers();
    const { server, store, engine } = setup();
    server.failWith = new HttpError(401, { error: "expired", code: "token_invalid", details: {} });
    engine.start();
    await engine.mutate({ entity: "lead", id: id(2), op: "create", fields: { name: "Kept" } });
    await vi.advanceTimersByTimeAsync(100);
    expect(engine.getStatus().phase).toBe("auth-required");
    engine.request();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.received).toEqual([]);
    expect(await store.outbox()).toHaveLength(1);
    server.failWith = null;
    engine.resumeAfterLogin();
    await vi.advanceTimersByTimeAsync(100);
    expect(server.received).toEqual([1]);
    engine.stop();
  });

  it("knows an expired session without the network: asks to sign in, keeps working, resumes", async () => {
    vi.useFakeTimers();
    let expiresAt = Date.now() + 60_000;
    const { server, store, engine } = setup(() => Date.now() < expiresAt);
    engine.start();
    await vi.advanceTimersByTimeAsync(50);
    expect(engine.getStatus().phase).toBe("idle");
    server.failWith = new NetworkError("offline"); // the session expires while offline
    await vi.advanceTimersByTimeAsync(61_000);
    await engine.mutate({ entity: "lead", id: id(4), op: "create", fields: { name: "Typed offline" } });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(engine.getStatus().phase).toBe("auth-required");
    expect(engine.getStatus().lastError).toMatch(/sign in again/i);
    const sentBefore = server.sent.length;
    server.failWith = null; // back online, still expired: nothing is sent
    engine.request();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.sent.length).toBe(sentBefore);
    await engine.mutate({ entity: "lead", id: id(5), op: "update", fields: { name: "Still local" } });
    expect((await store.outbox()).map((e) => e.mid)).toEqual([1, 2]);
    expiresAt = Date.now() + 30 * 86_400_000; // signed in again
    engine.resumeAfterLogin();
    await vi.advanceTimersByTimeAsync(100);
    expect(server.received).toEqual([1, 2]);
    expect(engine.getStatus().phase).toBe("idle");
    engine.stop();
  });

  it("a sync that ends after the browser went offline leaves the indicator offline", async () => {
    vi.useFakeTimers();
    const { server, engine } = setup();
    let onLine = true;
    vi.stubGlobal("navigator", {
      get onLine() {
        return onLine;
      },
    });
    const push = server.push.bind(server);
    server.push = async (request) => {
      const response = await push(request);
      onLine = false; // the connection drops while the answer is on its way back
      return response;
    };
    try {
      engine.start();
      await engine.mutate({ entity: "lead", id: id(1), op: "create", fields: { name: "Late" } });
      await vi.advanceTimersByTimeAsync(100);
      expect(server.received).toEqual([1]);
      expect(engine.getStatus()).toMatchObject({ online: false, phase: "offline" });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("surfaces update-required on 426 and keeps the queue", async () => {
    vi.useFakeTimers();
    const { server, store, engine } = setup();
    server.failWith = new HttpError(426, { error: "update", code: "upgrade_required", details: {} });
    engine.start();
    await engine.mutate({ entity: "lead", id: id(3), op: "create", fields: { name: "Kept" } });
    await vi.advanceTimersByTimeAsync(100);
    expect(engine.getStatus().phase).toBe("update-required");
    expect(await store.outbox()).toHaveLength(1);
    engine.stop();
  });
});

describe("PokeSocket", () => {
  it("authenticates with subprotocols and reports ready, pokes and auth failures", () => {
    const events: string[] = [];
    let created: { url: string; protocols: string[]; socket: Record<string, unknown> } | null = null;
    const poke = new PokeSocket(
      "ws://host/api/v1/sync/ws",
      {
        onReady: () => events.push("ready"),
        onPoke: (seq) => events.push(`poke ${seq}`),
        onAuthError: () => events.push("auth"),
        onClosed: () => events.push("closed"),
      },
      (url, protocols) => {
        const socket: Record<string, unknown> = { readyState: 1, close: () => undefined };
        created = { url, protocols, socket };
        return socket as unknown as WebSocket;
      },
    );
    poke.open("jwt.token.sig");
    const made = created as unknown as { protocols: string[]; socket: Record<string, (e: unknown) => void> };
    expect(made.protocols).toEqual(["pathsix.sync.v1", "bearer.jwt.token.sig"]);
    made.socket.onmessage?.({ data: '{"type":"ready"}' });
    made.socket.onmessage?.({ data: '{"type":"poke","seq":42}' });
    made.socket.onmessage?.({ data: "pong" });
    made.socket.onclose?.({ code: 4401 });
    expect(events).toEqual(["ready", "poke 42", "auth"]);
  });
});
