// What search looks in, per kind of record: the server's `searchable=` of sync_server/entities.py
// (users: sync_server/services/search.py `_USER_FIELDS`). One table, so the device finds what
// `GET /api/v1/search` would.
import type { SearchHit } from "../contracts/zod";

export type SearchEntity = SearchHit["entity"];

const CONTACT_SEARCH = ["name", "contact_person", "email", "phone", "city"] as const;

export const SEARCHABLE: Readonly<Record<SearchEntity, readonly string[]>> = {
  lead: CONTACT_SEARCH,
  client: CONTACT_SEARCH,
  project: ["name", "description"],
  contact: ["first_name", "last_name", "email", "phone"],
  user: ["name", "email"],
};

/** The order results are grouped in (the server's SearchEntity order). */
export const SEARCH_ENTITIES: readonly SearchEntity[] = ["lead", "client", "project", "contact", "user"];
