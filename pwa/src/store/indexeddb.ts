// IndexedDB backend (Dexie). One database per signed-in user, so one user's outbox is never
// pushed under another's session and survives a logout until that user signs in again.
import Dexie from "dexie";
import { type StorageBackend, TABLE_SCHEMA, TABLES, type TableName, type TableTx, type Tx } from "./backend";

const dexieSchema = (): Record<string, string> =>
  Object.fromEntries(
    TABLES.map((name) => {
      const { key, indexes } = TABLE_SCHEMA[name];
      return [name, [key, ...indexes].join(", ")];
    }),
  );

export interface IndexedDbOptions {
  /** for tests: fake-indexeddb's factory and key range */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

// Dexie keeps a transaction alive across awaits of its own promises; every method returns one
// (no async wrappers in between) so a chain of awaits never lets the transaction commit early.
function tableTx<T>(table: Dexie.Table): TableTx<T> {
  return {
    get: (key) => table.get(key) as Promise<T | undefined>,
    put: (row) => table.put(row).then(() => undefined),
    delete: (key) => table.delete(key),
    all: () => table.toArray() as Promise<T[]>,
    where: (index, value) => table.where(index).equals(value).toArray() as Promise<T[]>,
    top: (index, limit, reverse) => {
      const ordered = table.orderBy(index);
      return (reverse ? ordered.reverse() : ordered).limit(limit).toArray() as Promise<T[]>;
    },
    count: () => table.count(),
    clear: () => table.clear(),
  };
}

export class IndexedDbBackend implements StorageBackend {
  readonly kind = "indexeddb";
  readonly db: Dexie;
  private channel: BroadcastChannel | null;

  constructor(name: string, options: IndexedDbOptions = {}) {
    this.db = new Dexie(name, {
      ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
      ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
    });
    this.db.version(1).stores(dexieSchema());
    this.channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(`pathsix-store:${name}`) : null;
  }

  transaction<R>(mode: "r" | "rw", names: readonly TableName[], fn: (tx: Tx) => Promise<R>): Promise<R> {
    const tables = names.map((name) => this.db.table(name));
    return this.db.transaction(mode, tables, (transaction) => {
      // Tables taken from the transaction object are bound to it, so an operation stays inside
      // it even after awaits through native async functions lose Dexie's implicit zone.
      const tx: Tx = {
        table: <T>(name: TableName) => {
          if (!names.includes(name)) throw new Error(`table ${name} is outside this transaction`);
          return tableTx<T>(transaction.table(name));
        },
      };
      return fn(tx);
    });
  }

  onExternalChange(listener: (topics: string[]) => void): () => void {
    const channel = this.channel;
    if (!channel) return () => undefined;
    const handler = (event: MessageEvent) => listener(event.data as string[]);
    channel.addEventListener("message", handler);
    return () => channel.removeEventListener("message", handler);
  }

  announce(topics: string[]): void {
    this.channel?.postMessage(topics);
  }

  close(): void {
    this.channel?.close();
    this.channel = null;
    this.db.close();
  }
}
