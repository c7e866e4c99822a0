// The search index of the signed-in user's store, rebuilt whenever its records or users change
// (a sync, a local edit, another tab). Unlike useLive, a build is never thrown away for a newer
// one: an index one change old is still the user's records, and the sync that starts with the
// app (even an empty pull announces every topic) would otherwise double the wait for the first.
// Changes during a build are coalesced into one more build after it.
import { useEffect, useState } from "react";
import { useWorkspace } from "../app/AppProvider";
import { buildSearchIndex, type SearchIndex } from "./localSearch";

export function useSearchIndex(): SearchIndex | undefined {
  const { store } = useWorkspace();
  const [index, setIndex] = useState<SearchIndex | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    let building = false;
    let again = false;
    const build = async () => {
      if (building) {
        again = true;
        return;
      }
      building = true;
      try {
        do {
          again = false;
          const built = await buildSearchIndex(store);
          if (alive) setIndex(built);
        } while (again && alive);
      } catch {
        // a failed read keeps the last index; the next change tries again
      } finally {
        building = false;
      }
    };
    void build();
    const unsubscribe = store.subscribe((topics) => {
      if (topics.has("records") || topics.has("users")) void build();
    });
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [store]);
  return index;
}
