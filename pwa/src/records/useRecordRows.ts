// The records of a list screen, progressively: the most recently updated screenful first (read
// from the updated_at index, a few ms), then all of them (10,000 leads take a few hundred ms to
// read on a phone). Follows store changes like useLive.
import { useEffect, useState } from "react";
import type { LocalStore } from "../store/store";
import type { RecordRow } from "../store/types";
import type { RecordEntity } from "../sync/entities";

const FIRST_SCREEN = 40;

export interface RecordRows {
  rows: RecordRow[] | undefined;
  /** false while only the first screenful is loaded */
  complete: boolean;
}

export function useRecordRows(store: LocalStore, entity: RecordEntity): RecordRows {
  const [state, setState] = useState<RecordRows>({ rows: undefined, complete: false });
  useEffect(() => {
    let alive = true;
    let generation = 0;
    setState({ rows: undefined, complete: false });
    const loadAll = () => {
      const mine = ++generation;
      store.list(entity).then(
        (rows) => alive && mine === generation && setState({ rows, complete: true }),
        () => undefined,
      );
    };
    // One after the other: IndexedDB serves a connection's requests in order, so a big read
    // issued alongside would hold up the few cursor steps of the first screen.
    store
      .recent(entity, FIRST_SCREEN)
      .then(
        (rows) => alive && generation === 0 && setState({ rows, complete: false }),
        () => undefined,
      )
      .then(() => alive && generation === 0 && loadAll());
    const unsubscribe = store.subscribe((topics) => {
      if (topics.has("records")) loadAll();
    });
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [store, entity]);
  return state;
}
