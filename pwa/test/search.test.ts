// Search on the device: the word rules agree with the server on every shared case
// (contracts/search/cases.json, also run by tests/unit/test_search_words.py), and the search over
// the local store (grouping, order, limits, Trash, what the store holds) on memory and IndexedDB.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { beforeEach, describe, expect, it } from "vitest";
import { buildSearchIndex, indexRows, type SearchIndex, searchLocal } from "../src/search/localSearch";
import { SEARCH_ENTITIES, SEARCHABLE, type SearchEntity } from "../src/search/searchable";
import { fold, MAX_TERM, matchedFields, matches, queryWords, terms, termText, words } from "../src/search/words";
import type { StorageBackend } from "../src/store/backend";
import { IndexedDbBackend } from "../src/store/indexeddb";
import { MemoryBackend } from "../src/store/memory";
import { LocalStore } from "../src/store/store";
import type { PulledChange, RecordRow } from "../src/store/types";

interface SharedCase {
  values: Record<string, string | null>;
  q: string;
  match: boolean;
  fields: string[];
}

const CASES: SharedCase[] = JSON.parse(
  readFileSync(resolve(import.meta.dirname, "../../contracts/search/cases.json"), "utf8"),
).cases;

/** A kind of record that searches every field of the case, to run it through the store search. */
const kindFor = (fields: string[]): SearchEntity | undefined =>
  SEARCH_ENTITIES.find((e) => fields.every((f) => SEARCHABLE[e].includes(f)));

const empty = (): SearchIndex => ({ lead: [], client: [], project: [], contact: [], user: [] });

describe("the shared search cases (contracts/search/cases.json)", () => {
  it("holds cases", () => expect(CASES.length).toBeGreaterThan(10));

  it.each(CASES.map((c) => [`${JSON.stringify(c.q)} in ${JSON.stringify(c.values)}`, c] as const))("%s", (_name, c) => {
    const searchable = Object.keys(c.values);
    expect(matches(searchable, c.values, c.q)).toBe(c.match);
    expect(matchedFields(searchable, c.values, c.q)).toEqual(c.fields);
    // The store search (terms joined into one string per record) answers the same.
    const entity = kindFor(searchable);
    expect(entity).toBeDefined();
    if (!entity) return;
    const index = { ...empty(), [entity]: indexRows(entity, [{ id: "r1", ...c.values }]) };
    const groups = searchLocal(index, c.q);
    expect(groups.length).toBe(c.match ? 1 : 0);
    if (c.match) expect(groups[0]?.hits[0]?.fields).toEqual(c.fields);
  });
});

describe("the word rules (sync_server/search.py)", () => {
  it("lower-cases, cuts and de-duplicates words; at most eight query words", () => {
    expect(queryWords("Deck deck DECK kit")).toEqual(["deck", "kit"]);
    expect(queryWords("a b c d e f g h i j")).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
    expect(terms("x".repeat(MAX_TERM + 10))).toEqual(new Set(["x".repeat(MAX_TERM)]));
    expect(terms(null)).toEqual(new Set());
    expect(terms(42)).toEqual(new Set());
    expect(terms("12-34")).toEqual(new Set(["12", "34", "1234"]));
    expect(terms("Unit 7")).toEqual(new Set(["unit", "7"]));
  });

  it("cuts by code point, as Python does (not UTF-16 units)", () => {
    const astral = "\u{20000}"; // a CJK ideograph outside the BMP (folding leaves it as it is)
    const [word] = words(astral.repeat(MAX_TERM + 3));
    expect(Array.from(word ?? "")).toHaveLength(MAX_TERM);
    expect(word).toBe(astral.repeat(MAX_TERM));
  });

  it("termText holds exactly the terms of the fields (what the store search scans)", () => {
    const samples = [
      ...CASES.map((c) => c.values),
      { name: "12-34 unit 7", city: "Unit 7" },
      { name: "x".repeat(MAX_TERM + 5), phone: `+1 ${"9".repeat(70)} 0` },
      { name: "Ōla\u{1D400}Nuñez_2 (555) 010", email: null, city: 42 },
      { name: "Jose\u0301 İstanbul Straße", city: "５５５－０１００ ΟΔΟΣ" },
    ];
    for (const values of samples) {
      const fields = Object.keys(values);
      const expected = new Set(fields.flatMap((f) => [...terms((values as Record<string, unknown>)[f])]));
      const text = termText(fields, values);
      expect(new Set(text.split("\0").slice(1))).toEqual(expected);
      expect(text === "" || text.startsWith("\0")).toBe(true);
    }
  });

  it("splits on anything but letters and digits, in any script; '_' separates", () => {
    expect(words("Café_Ōla–Nuñez 東京3")).toEqual(["cafe", "ola", "nunez", "東京3"]);
    expect(words("½ off")).toEqual(["1", "2", "off"]); // NFKD: "1⁄2", its slash separates, as in Python
  });

  it("folds case and accents alike in text and query (Python's fold)", () => {
    expect(fold("José")).toBe("jose");
    expect(fold("Jose\u0301")).toBe("jose");
    expect(fold("İstanbul")).toBe("istanbul"); // not "i" + U+0307, which split the word in two
    expect(fold("Ελλάδα ΟΔΟΣ")).toBe("ελλαδα οδοσ"); // final sigma as sigma
    expect(fold("Straße STRAẞE")).toBe("strasse strasse");
    expect(fold("\uff21\uff23\uff2d\uff25 \u210c")).toBe("acme h"); // compatibility forms
    expect(fold("東京 서울")).toBe("東京 서울"); // Hangul stays syllables (NFC)
    expect(fold("Søren Łukasz")).toBe("søren łukasz"); // no marks to drop
    expect(words("Jose\u0301 Nu\u0303ñez")).toEqual(["jose", "nunez"]);
  });
});

const USER = "5b0a3c8e-0000-4000-8000-000000000001";
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const at = (day: number) => `2026-01-${String(day).padStart(2, "0")}T10:00:00Z`;

const put = (entity: string, record: RecordRow): PulledChange => ({ entity, id: record.id, seq: 1, op: "put", record });
const lead = (n: number, day: number, fields: Record<string, unknown>) =>
  put("lead", { id: id(n), updated_at: at(day), deleted_at: null, ...fields });

const SNAPSHOT: PulledChange[] = [
  lead(1, 1, { name: "Salem Bakery", city: "Portland", phone: "555-0101" }),
  lead(2, 3, { name: "Harbor Auto", city: "Salem", phone: "(555) 0102" }),
  lead(3, 2, { name: "Salem Roofing", city: "Bend" }),
  lead(4, 9, { name: "Salem Gone", city: "Salem", deleted_at: at(9) }), // in Trash
  lead(5, 3, { name: "Salem Tie", city: "Bend" }), // same update time as lead 2: by id
  put("client", { id: id(10), name: "Salem Dental", city: "Eugene", updated_at: at(4), deleted_at: null }),
  put("project", { id: id(20), name: "Roof", description: "New roof in Salem", updated_at: at(5), deleted_at: null }),
  put("contact", {
    id: id(30),
    first_name: "Sally",
    last_name: "Salem",
    lead_id: id(1),
    updated_at: at(6),
    deleted_at: null,
  }),
  put("user", { id: id(40), name: "Sam Salem", email: "sam@example.com", roles: ["user"], is_active: true }),
  put("user", { id: id(41), name: "", email: "salem.ops@example.com", roles: ["user"], is_active: true }),
  put("user", { id: id(42), name: "Sal Salem", email: "old@example.com", roles: ["user"], is_active: false }),
];

function defineStoreSearch(name: string, fresh: () => StorageBackend): void {
  describe(`searchLocal over a LocalStore on ${name}`, () => {
    let store: LocalStore;
    let index: SearchIndex;

    beforeEach(async () => {
      store = new LocalStore(fresh(), { userId: USER });
      await store.meta();
      const applied = await store.applyPull({
        fromCursor: null,
        cursor: "c1",
        reset: true,
        changes: SNAPSHOT,
        last_mutation_id: 0,
        server_seq: 10,
      });
      expect(applied.applied).toBe(true);
      index = await buildSearchIndex(store);
    });

    it("groups by kind (leads, clients, projects, contacts, users), newest first, never Trash", () => {
      const groups = searchLocal(index, "salem");
      expect(groups.map((g) => g.entity)).toEqual(["lead", "client", "project", "contact", "user"]);
      const leads = groups[0]?.hits ?? [];
      // updated_at descending; lead 2 and 5 tie on it and go by id, descending; lead 4 is in Trash
      expect(leads.map((h) => h.id)).toEqual([id(5), id(2), id(3), id(1)]);
      expect(leads.map((h) => h.title)).toEqual(["Salem Tie", "Harbor Auto", "Salem Roofing", "Salem Bakery"]);
    });

    it("names the fields that matched", () => {
      const [leads, client, project, contact, users] = searchLocal(index, "salem");
      expect(leads?.hits.map((h) => h.fields)).toEqual([["name"], ["city"], ["name"], ["name"]]);
      expect(client?.hits[0]?.fields).toEqual(["name"]);
      expect(project?.hits[0]).toMatchObject({ title: "Roof", fields: ["description"] });
      expect(contact?.hits[0]).toMatchObject({ title: "Sally Salem", fields: ["last_name"] });
      // Users by name (the device has no update time for them); a deactivated one is not found.
      expect(users?.hits.map((h) => [h.title, h.fields])).toEqual([
        ["salem.ops@example.com", ["email"]],
        ["Sam Salem", ["name"]],
      ]);
    });

    it("finds a phone however it is typed, and needs every word", () => {
      expect(searchLocal(index, "5550102").flatMap((g) => g.hits.map((h) => h.id))).toEqual([id(2)]);
      expect(searchLocal(index, "555 010").flatMap((g) => g.hits.map((h) => h.id))).toEqual([id(2), id(1)]);
      expect(searchLocal(index, "salem bend").flatMap((g) => g.hits.map((h) => h.id))).toEqual([id(5), id(3)]);
      expect(searchLocal(index, "salem nowhere")).toEqual([]);
      expect(searchLocal(index, " - ")).toEqual([]);
    });

    it("counts every hit, lists up to the limit, and searches only the kinds asked for", () => {
      const [leads] = searchLocal(index, "sal", { limit: 2 });
      expect(leads).toMatchObject({ entity: "lead", total: 4 });
      expect(leads?.hits.map((h) => h.id)).toEqual([id(5), id(2)]);
      const more = searchLocal(index, "sal", { limit: 1, limits: { lead: 3 } });
      expect(more.map((g) => [g.entity, g.hits.length])).toEqual([
        ["lead", 3],
        ["client", 1],
        ["project", 1],
        ["contact", 1],
        ["user", 1],
      ]);
      expect(searchLocal(index, "salem", { entities: ["client", "user"] }).map((g) => g.entity)).toEqual([
        "client",
        "user",
      ]);
    });

    it("finds only what the store holds, pending edits included", async () => {
      expect(searchLocal(index, "tacoma")).toEqual([]);
      await store.mutate({ entity: "lead", id: id(3), op: "update", fields: { city: "Tacoma" } });
      const after = await buildSearchIndex(store);
      const [leads] = searchLocal(after, "tacoma");
      expect(leads?.hits.map((h) => [h.id, h.fields])).toEqual([[id(3), ["city"]]]);
      expect(searchLocal(after, "bend").flatMap((g) => g.hits.map((h) => h.id))).toEqual([id(5)]);
    });
  });
}

defineStoreSearch("memory", () => new MemoryBackend());
let counter = 0;
defineStoreSearch("IndexedDB (fake-indexeddb)", () => {
  counter += 1;
  return new IndexedDbBackend(`search-suite-${counter}`, { indexedDB: new IDBFactory(), IDBKeyRange });
});
