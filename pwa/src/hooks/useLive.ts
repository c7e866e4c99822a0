// A store query that re-runs whenever the store changes (in this tab or another one).
import { useEffect, useRef, useState } from "react";
import type { LocalStore } from "../store/store";
import type { StoreTopic } from "../store/types";

export function useLive<T>(
  store: LocalStore,
  query: (store: LocalStore) => Promise<T>,
  deps: readonly unknown[],
  topics?: readonly StoreTopic[],
): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  const queryRef = useRef(query);
  queryRef.current = query;
  const started = useRef(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's query inputs
  useEffect(() => {
    let alive = true;
    let generation = 0;
    // New inputs (another record's id): never show the previous answer as if it were this one.
    if (started.current) setValue(undefined);
    started.current = true;
    const run = () => {
      const mine = ++generation;
      queryRef.current(store).then(
        (result) => {
          if (alive && mine === generation) setValue(result);
        },
        () => undefined,
      );
    };
    run();
    const unsubscribe = store.subscribe((changed) => {
      if (!topics || topics.some((t) => changed.has(t))) run();
    });
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [store, ...deps]);

  return value;
}
