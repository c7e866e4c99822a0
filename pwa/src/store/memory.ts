// In-memory backend: the same behaviour as IndexedDB, for tests and for browsers where
// IndexedDB is unavailable (private modes of some browsers). Transactions run one at a time;
// a read-write transaction works on copies and swaps them in only when fn succeeds.
import { type Key, type StorageBackend, TABLE_SCHEMA, type TableName, type TableTx, type Tx } from "./backend";

type Rows = Map<Key, unknown>;

const byKey = (a: [Key, unknown], b: [Key, unknown]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

// Rows are cloned on the way in and out, as IndexedDB's structured clone does, so a caller can
// never mutate stored state by holding a reference.
const clone = <T>(value: T): T => structuredClone(value);

function tableTx<T>(name: TableName, rows: () => Rows, writable: () => Rows): TableTx<T> {
  const { key, indexes } = TABLE_SCHEMA[name];
  const sorted = () => [...rows().entries()].sort(byKey).map(([, row]) => clone(row) as T);
  return {
    get: async (k) => clone(rows().get(k) as T | undefined),
    put: async (row) => {
      writable().set((row as Record<string, Key>)[key] as Key, clone(row));
    },
    delete: async (k) => {
      writable().delete(k);
    },
    all: async () => sorted(),
    where: async (index, value) => {
      if (!indexes.includes(index)) throw new Error(`${name} has no index ${index}`);
      return sorted().filter((row) => (row as Record<string, unknown>)[index] === value);
    },
    top: async (index, limit, reverse) => {
      if (!indexes.includes(index)) throw new Error(`${name} has no index ${index}`);
      // IndexedDB leaves rows without a value for the index out of the index, and orders by
      // (value, primary key).
      const keyed = sorted().filter((row) => (row as Record<string, unknown>)[index] != null);
      const at = (row: T) => (row as Record<string, Key>)[index] as Key;
      keyed.sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
      return (reverse ? keyed.reverse() : keyed).slice(0, limit);
    },
    count: async () => rows().size,
    clear: async () => {
      writable().clear();
    },
  };
}

export class MemoryBackend implements StorageBackend {
  readonly kind = "memory";
  private tables = new Map<TableName, Rows>();
  private queue: Promise<unknown> = Promise.resolve();

  private rows(name: TableName): Rows {
    let rows = this.tables.get(name);
    if (!rows) {
      rows = new Map();
      this.tables.set(name, rows);
    }
    return rows;
  }

  transaction<R>(mode: "r" | "rw", names: readonly TableName[], fn: (tx: Tx) => Promise<R>): Promise<R> {
    const run = async (): Promise<R> => {
      const copies = new Map<TableName, Rows>();
      const tx: Tx = {
        table: <T>(name: TableName) => {
          if (!names.includes(name)) throw new Error(`table ${name} is outside this transaction`);
          const current = () => copies.get(name) ?? this.rows(name);
          const writable = () => {
            if (mode === "r") throw new Error("write in a read-only transaction");
            let copy = copies.get(name);
            if (!copy) {
              copy = new Map(this.rows(name));
              copies.set(name, copy);
            }
            return copy;
          };
          return tableTx<T>(name, current, writable);
        },
      };
      const result = await fn(tx);
      for (const [name, copy] of copies) this.tables.set(name, copy);
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.tables.clear();
  }
}
