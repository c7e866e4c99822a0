import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import type { StorageBackend } from "../src/store/backend";
import { IndexedDbBackend } from "../src/store/indexeddb";
import { MemoryBackend } from "../src/store/memory";
import { defineConvertSuite } from "./convert.suite";
import { defineQuotaSuite } from "./quota.suite";
import { defineStoreSuite } from "./store.suite";

defineStoreSuite("memory", {
  fresh: () => new MemoryBackend(),
  reopen: (backend) => backend,
});

let factory = new IDBFactory();
let counter = 0;
defineStoreSuite("IndexedDB (fake-indexeddb)", {
  fresh: () => {
    factory = new IDBFactory();
    counter += 1;
    return new IndexedDbBackend(`store-suite-${counter}`, { indexedDB: factory, IDBKeyRange });
  },
  reopen: (backend: StorageBackend) => {
    const db = (backend as IndexedDbBackend).db;
    db.close();
    return new IndexedDbBackend(db.name, { indexedDB: factory, IDBKeyRange });
  },
});

defineConvertSuite("memory", () => new MemoryBackend());
defineConvertSuite("IndexedDB (fake-indexeddb)", () => {
  counter += 1;
  return new IndexedDbBackend(`convert-suite-${counter}`, { indexedDB: new IDBFactory(), IDBKeyRange });
});

defineQuotaSuite("memory", () => new MemoryBackend());
defineQuotaSuite("IndexedDB (fake-indexeddb)", () => {
  counter += 1;
  return new IndexedDbBackend(`quota-suite-${counter}`, { indexedDB: new IDBFactory(), IDBKeyRange });
});
