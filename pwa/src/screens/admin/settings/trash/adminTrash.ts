// The admin Trash's state, kept pure: the loaded pages per entity, what a filter shows (newest
// trashed first), what a bulk action removed, and the selection.
import { TOP_ENTITIES, type TopEntity } from "../../../../records/paths";
import type { Outcome } from "../shared/outcomes";
import { itemKey, type TrashItem, type TrashPage } from "./trashApi";

export type TrashFilter = "all" | TopEntity;
export type TrashPages = Partial<Record<TopEntity, TrashPage>>;
export type Selection = "none" | "some" | "all";

export const entitiesOf = (filter: TrashFilter): readonly TopEntity[] => (filter === "all" ? TOP_ENTITIES : [filter]);

export function shownItems(pages: TrashPages, filter: TrashFilter): TrashItem[] {
  return entitiesOf(filter)
    .flatMap((e) => pages[e]?.items ?? [])
    .sort((a, b) => b.deleted_at.localeCompare(a.deleted_at) || a.id.localeCompare(b.id));
}

export const totalOf = (pages: TrashPages, filter: TrashFilter): number =>
  entitiesOf(filter).reduce((n, e) => n + (pages[e]?.total ?? 0), 0);

/** The entities of the filter with another page to load. */
export const moreToLoad = (pages: TrashPages, filter: TrashFilter): TopEntity[] =>
  entitiesOf(filter).filter((e) => pages[e]?.next_cursor);

export function appendPage(pages: TrashPages, entity: TopEntity, page: TrashPage): TrashPages {
  const before = pages[entity];
  const seen = new Set(before?.items.map((i) => i.id));
  return {
    ...pages,
    [entity]: { ...page, items: [...(before?.items ?? []), ...page.items.filter((i) => !seen.has(i.id))] },
  };
}

/** The pages without the records a bulk action dealt with (restored or purged). */
export function withoutDone(pages: TrashPages, outcomes: readonly Outcome[]): TrashPages {
  const done = new Set(outcomes.filter((o) => o.ok).map(itemKey));
  const out: TrashPages = {};
  for (const entity of TOP_ENTITIES) {
    const page = pages[entity];
    if (!page) continue;
    const items = page.items.filter((i) => !done.has(itemKey(i)));
    out[entity] = { ...page, items, total: Math.max(0, page.total - (page.items.length - items.length)) };
  }
  return out;
}

export function selectionOf(selected: ReadonlySet<string>, keys: readonly string[]): Selection {
  const n = keys.filter((k) => selected.has(k)).length;
  return n === 0 ? "none" : n === keys.length ? "all" : "some";
}

/** Select or unselect some keys, leaving the rest of the selection as it was. */
export function setSelected(selected: ReadonlySet<string>, keys: readonly string[], on: boolean): Set<string> {
  const next = new Set(selected);
  for (const k of keys) {
    if (on) next.add(k);
    else next.delete(k);
  }
  return next;
}

/** The selected records among those shown (a hidden selection never acts). */
export const selectedItems = (items: readonly TrashItem[], selected: ReadonlySet<string>): TrashItem[] =>
  items.filter((i) => selected.has(itemKey(i)));
