// The storage a LocalStore runs on: a handful of keyed tables with transactions. IndexedDB
// (Dexie) and memory implement it; the store's logic is written once above it, and one test
// suite runs the store on both (STYLE.md item 12).
export const TABLES = [
  "leads",
  "clients",
  "projects",
  "accounts",
  "subscriptions",
  "contacts",
  "interactions",
  "notes",
  "users",
  "config",
  "conflicts",
  "shadows",
  "outbox",
  "rejected",
  "meta",
] as const;
export type TableName = (typeof TABLES)[number];

/** Primary key of each table and the fields it is indexed on (equality look-ups). */
export const TABLE_SCHEMA: Record<TableName, { key: string; indexes: string[] }> = {
  leads: { key: "id", indexes: ["updated_at", "lead_status", "assigned_to", "deleted_at"] },
  clients: { key: "id", indexes: ["updated_at", "status", "assigned_to", "deleted_at"] },
  projects: { key: "id", indexes: ["updated_at", "client_id", "lead_id", "project_status"] },
  accounts: { key: "id", indexes: ["client_id"] },
  subscriptions: { key: "id", indexes: ["client_id"] },
  contacts: { key: "id", indexes: ["client_id", "lead_id"] },
  interactions: { key: "id", indexes: ["client_id", "lead_id", "project_id", "contact_date"] },
  notes: { key: "id", indexes: ["entity_id"] },
  users: { key: "id", indexes: [] },
  config: { key: "id", indexes: [] },
  conflicts: { key: "id", indexes: ["record_id", "status"] },
  shadows: { key: "rk", indexes: [] },
  outbox: { key: "mid", indexes: ["rk"] },
  rejected: { key: "key", indexes: ["rk"] },
  meta: { key: "key", indexes: [] },
};

export type Key = string | number;

export interface TableTx<T> {
  get(key: Key): Promise<T | undefined>;
  put(row: T): Promise<void>;
  delete(key: Key): Promise<void>;
  /** every row, in primary-key order */
  all(): Promise<T[]>;
  /** rows whose indexed field equals value, in primary-key order */
  where(index: string, value: Key): Promise<T[]>;
  /** the first `limit` rows in the order of an indexed field (highest first when `reverse`) */
  top(index: string, limit: number, reverse: boolean): Promise<T[]>;
  count(): Promise<number>;
  clear(): Promise<void>;
}

export interface Tx {
  // biome-ignore lint/suspicious/noExplicitAny: rows are typed by the caller per table
  table<T = any>(name: TableName): TableTx<T>;
}

export type TxMode = "r" | "rw";

export interface StorageBackend {
  readonly kind: "indexeddb" | "memory";
  /** Run fn atomically over the named tables: every write commits, or none does. */
  transaction<R>(mode: TxMode, tables: readonly TableName[], fn: (tx: Tx) => Promise<R>): Promise<R>;
  /** Called with the topics another tab (same database) changed, where the backend can tell. */
  onExternalChange?(listener: (topics: string[]) => void): () => void;
  announce?(topics: string[]): void;
  close(): void;
}
