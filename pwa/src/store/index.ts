// Opening the store of a signed-in user: IndexedDB where the browser has it, memory otherwise.
import { IndexedDbBackend } from "./indexeddb";
import { MemoryBackend } from "./memory";
import { LocalStore, type StoreOptions } from "./store";

export const databaseName = (userId: string): string => `pathsix-${userId}`;

export function openStore(options: StoreOptions): LocalStore {
  const backend =
    typeof indexedDB === "undefined" ? new MemoryBackend() : new IndexedDbBackend(databaseName(options.userId));
  return new LocalStore(backend, options);
}

export { LocalStore } from "./store";
export type * from "./types";
