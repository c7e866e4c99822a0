// The search screen, lazily loaded: the word rules and the index come with it, not with the
// shell. The header link fetches it as soon as the user heads for it (hover, focus, touch), and
// once loaded it renders directly: a Suspense fallback, once shown, is held for ~300 ms by React.
import { type ComponentType, lazy, Suspense, useState } from "react";
import type { AppRoute } from "../../app/routes";

let loaded: ComponentType | null = null;
const load = () =>
  import("./SearchScreen").then((module) => {
    loaded = module.default;
    return module;
  });
const LazySearchScreen = lazy(load);

export function preloadSearch(): void {
  if (!loaded) load().catch(() => undefined); // offline without the chunk: the route retries
}

function SearchRoute() {
  // Decided once per visit, so the screen never remounts (and loses its query) when it arrives.
  const [Screen] = useState(() => loaded);
  if (Screen) return <Screen />;
  return (
    <Suspense
      fallback={
        <p role="status" className="text-sm text-slate-500">
          Loading…
        </p>
      }
    >
      <LazySearchScreen />
    </Suspense>
  );
}

export const SEARCH_ROUTES: AppRoute[] = [{ path: "search", element: <SearchRoute /> }];
