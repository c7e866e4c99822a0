// Sync protocol versions this app speaks (SYNC.md). The wire shapes themselves are the
// generated Zod schemas (PushRequest, PushResponse, PullRequest, PullResponse).
export const PROTOCOL_VERSIONS = {
  1: "push/pull with per-field dots, eviction, paged consistent snapshots",
} as const;
export const SCHEMA_VERSION = 1;
export const WS_SUBPROTOCOL = "pathsix.sync.v1";
export const MAX_PUSH_MUTATIONS = 500;
export const PULL_PAGE_LIMIT = 500;

export const SYNC_PATHS = {
  push: "/api/v1/sync/push",
  pull: "/api/v1/sync/pull",
  ws: "/api/v1/sync/ws",
} as const;
