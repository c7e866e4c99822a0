// One search over everything on the device: leads, clients, projects, contacts and users, by
// the server's word rules (words.ts), with no network. The device already holds every record its
// user may see (the sync promise), so visibility is implicit: what is not in the store is never
// found. Like `GET /api/v1/search`, Trash is left out and hits are grouped by kind, the most
// recently updated first (users carry no update time on the device: by name).
//
// Speed: each record's terms are joined once per data change into one string, each term after a
// NUL (words.ts `termText`), so "some term begins with w" is one `includes("\0" + w)`: a
// keystroke over 10,000 leads is a few milliseconds (see scripts/perf.mjs).
import type { SearchHit } from "../contracts/zod";
import { titleOf } from "../records/paths";
import type { LocalStore } from "../store/store";
import type { RecordRow } from "../store/types";
import { SEARCH_ENTITIES, SEARCHABLE, type SearchEntity } from "./searchable";
import { matchedFields, queryWords, termText } from "./words";

export const DEFAULT_LIMIT = 5;
const SEP = "\u0000";

interface Indexed {
  row: RecordRow;
  /** every term of the searchable fields, each after a NUL (termText) */
  haystack: string;
}

/** The searchable records of each kind, in the order hits are listed. */
export type SearchIndex = Readonly<Record<SearchEntity, readonly Indexed[]>>;

export interface LocalHit extends SearchHit {
  row: RecordRow;
}

export interface SearchGroup {
  entity: SearchEntity;
  /** every record of this kind the query finds */
  total: number;
  /** the first of them (up to the limit) */
  hits: LocalHit[];
}

export interface SearchOptions {
  /** the kinds to search (e.g. without projects when the tenant switched them off) */
  entities?: readonly SearchEntity[];
  limit?: number;
  /** per-kind limits over `limit` (a group the user expanded) */
  limits?: Partial<Record<SearchEntity, number>>;
}

const text = (row: RecordRow, key: string): string => (typeof row[key] === "string" ? (row[key] as string) : "");
const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

function titleFor(entity: SearchEntity, row: RecordRow): string {
  return (entity === "user" ? text(row, "name") || text(row, "email") : titleOf(entity, row)).trim();
}

// ISO timestamps order correctly as plain strings; ties by id, descending, as the server does.
const newestFirst = (a: RecordRow, b: RecordRow): number => {
  const [x, y] = [text(a, "updated_at"), text(b, "updated_at")];
  return x !== y ? (x < y ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
};
const byName = (a: RecordRow, b: RecordRow): number => collator.compare(titleFor("user", a), titleFor("user", b));

/** One kind's rows ready to search: Trash (and deactivated users) left out, in listing order. */
export function indexRows(entity: SearchEntity, rows: readonly RecordRow[]): Indexed[] {
  const kept = rows.filter((row) => (entity === "user" ? row.is_active !== false : !row.deleted_at));
  kept.sort(entity === "user" ? byName : newestFirst);
  return kept.map((row) => ({ row, haystack: termText(SEARCHABLE[entity], row) }));
}

/** Read the store once and index it (re-run when its records or users change). */
export async function buildSearchIndex(store: LocalStore): Promise<SearchIndex> {
  const [lead, client, project, contact, users] = await Promise.all([
    store.list("lead"),
    store.list("client"),
    store.list("project"),
    store.list("contact"),
    store.users(),
  ]);
  const user = users.map((u): RecordRow => ({ ...u }));
  return {
    lead: indexRows("lead", lead),
    client: indexRows("client", client),
    project: indexRows("project", project),
    contact: indexRows("contact", contact),
    user: indexRows("user", user),
  };
}

function hitOf(entity: SearchEntity, row: RecordRow, q: string): LocalHit {
  const title = titleFor(entity, row) || null;
  return { entity, id: row.id, title, fields: matchedFields(SEARCHABLE[entity], row, q), row };
}

/** The records `q` finds, grouped by kind (kinds with none are left out). */
export function searchLocal(index: SearchIndex, q: string, options: SearchOptions = {}): SearchGroup[] {
  const wanted = queryWords(q).map((w) => SEP + w);
  if (wanted.length === 0) return [];
  const groups: SearchGroup[] = [];
  for (const entity of options.entities ?? SEARCH_ENTITIES) {
    const limit = options.limits?.[entity] ?? options.limit ?? DEFAULT_LIMIT;
    const hits: LocalHit[] = [];
    let total = 0;
    for (const { row, haystack } of index[entity]) {
      if (!wanted.every((w) => haystack.includes(w))) continue;
      total += 1;
      if (hits.length < limit) hits.push(hitOf(entity, row, q));
    }
    if (total > 0) groups.push({ entity, total, hits });
  }
  return groups;
}
