// Devices for the sync tests: a LocalStore on fake-indexeddb and a SyncClient on real HTTP.
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { inject } from "vitest";
import { ApiClient, NetworkError } from "../src/api/http";
import {
  LoginResponse,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from "../src/contracts/zod";
import { IndexedDbBackend } from "../src/store/indexeddb";
import { LocalStore } from "../src/store/store";
import { uuid } from "../src/store/uuid";
import { SyncClient, type SyncClientOptions } from "../src/sync/client";
import { HttpSyncTransport, type SyncTransport } from "../src/sync/transport";
import type { ServerInfo } from "./global-setup";

export function server(): ServerInfo {
  const info = inject("server");
  if (!info) throw new Error("no test server (PATHSIX_TEST_NO_SERVER=1)");
  return info;
}

export async function login(who: { email: string; password: string }): Promise<LoginResponse> {
  const api = new ApiClient({ baseUrl: server().url, getToken: () => null });
  return api.request("POST", "/api/v1/auth/login", { email: who.email, password: who.password }, LoginResponse);
}

/** A transport the test can break: go offline, lose the next response, hold responses. */
export class FlakyTransport implements SyncTransport {
  offline = false;
  loseNextPushResponse = false;
  pushes: PushRequest[] = [];
  constructor(readonly inner: SyncTransport) {}

  async push(request: PushRequest): Promise<PushResponse> {
    if (this.offline) throw new NetworkError("offline");
    this.pushes.push(request);
    const response = await this.inner.push(request);
    if (this.loseNextPushResponse) {
      this.loseNextPushResponse = false;
      throw new NetworkError("connection reset after the server committed");
    }
    return response;
  }

  pull(request: PullRequest): Promise<PullResponse> {
    if (this.offline) return Promise.reject(new NetworkError("offline"));
    return this.inner.pull(request);
  }
}

export interface Device {
  userId: string;
  token: string;
  api: ApiClient;
  store: LocalStore;
  transport: FlakyTransport;
  client: SyncClient;
}

let counter = 0;

export async function device(
  who: { email: string; password: string },
  options: SyncClientOptions & { token?: string } = {},
): Promise<Device> {
  const session = await login(who);
  let token = options.token ?? session.access_token;
  const api = new ApiClient({ baseUrl: server().url, getToken: () => token });
  counter += 1;
  const backend = new IndexedDbBackend(`device-${counter}-${uuid()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  const store = new LocalStore(backend, { userId: session.user.id });
  const transport = new FlakyTransport(new HttpSyncTransport(api));
  const client = new SyncClient(store, transport, options);
  const dev: Device = {
    userId: session.user.id,
    get token() {
      return token;
    },
    set token(value: string) {
      token = value;
    },
    api,
    store,
    transport,
    client,
  };
  return dev;
}

/** The server's view of a record, through REST with the device's token. */
export async function serverRecord(dev: Device, path: string): Promise<Record<string, unknown> | null> {
  const response = await fetch(`${server().url}/api/v1/${path}`, {
    headers: { Authorization: `Bearer ${dev.token}` },
  });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

export async function rest(
  dev: Device,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server().url}/api/v1/${path}`, {
    method,
    headers: { Authorization: `Bearer ${dev.token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The fields a device shows must equal the server's record (ignoring field order). */
export function sameRecord(local: Record<string, unknown> | undefined, remote: Record<string, unknown> | null): void {
  if (!local || !remote) throw new Error(`missing record: local=${!!local} remote=${!!remote}`);
  for (const [key, value] of Object.entries(remote)) {
    if (JSON.stringify(local[key]) !== JSON.stringify(value)) {
      throw new Error(`field ${key}: local ${JSON.stringify(local[key])} != server ${JSON.stringify(value)}`);
    }
  }
}

/** A promise with its resolve function (Promise.withResolvers is Node 22+). */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
