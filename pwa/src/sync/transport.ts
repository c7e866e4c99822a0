// How a SyncClient reaches the server. The HTTP one is the real thing; tests wrap it to lose
// responses or reorder them.
import type { ApiClient } from "../api/http";
import { type PullRequest, PullResponse, type PushRequest, PushResponse } from "../contracts/zod";
import { SYNC_PATHS } from "./protocol";

export interface SyncTransport {
  push(request: PushRequest): Promise<PushResponse>;
  pull(request: PullRequest): Promise<PullResponse>;
}

export class HttpSyncTransport implements SyncTransport {
  constructor(private readonly api: ApiClient) {}

  push(request: PushRequest): Promise<PushResponse> {
    return this.api.request("POST", SYNC_PATHS.push, request, PushResponse);
  }

  pull(request: PullRequest): Promise<PullResponse> {
    return this.api.request("POST", SYNC_PATHS.pull, request, PullResponse);
  }
}
