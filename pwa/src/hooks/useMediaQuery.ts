// Whether a CSS media query matches now (and re-renders when that changes).
import { useSyncExternalStore } from "react";

export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (notify) => {
      const list = globalThis.matchMedia?.(query);
      list?.addEventListener("change", notify);
      return () => list?.removeEventListener("change", notify);
    },
    () => globalThis.matchMedia?.(query).matches ?? false,
    () => false,
  );
}

/** Tailwind's `sm` breakpoint: tables from here up, cards below. */
export const useDesktop = (): boolean => useMediaQuery("(min-width: 640px)");
