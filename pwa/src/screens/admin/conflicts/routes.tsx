// Admin → Conflicts: the queue and history (admin/conflicts) and one conflict
// (admin/conflicts/:id). Lazily loaded chunks: field staff never download them.
import { lazy, type ReactNode, Suspense } from "react";
import type { AdminSection } from "../sections";

const ConflictsScreen = lazy(() => import("./ConflictsScreen"));
const ConflictDetailScreen = lazy(() => import("./ConflictDetailScreen"));
const OpenCount = lazy(() => import("./OpenCount"));

function Screen({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}>{children}</Suspense>;
}

export const CONFLICT_SECTIONS: AdminSection[] = [
  {
    routes: [
      {
        path: "admin/conflicts",
        element: (
          <Screen>
            <ConflictsScreen />
          </Screen>
        ),
      },
      {
        path: "admin/conflicts/:id",
        element: (
          <Screen>
            <ConflictDetailScreen />
          </Screen>
        ),
      },
    ],
    card: {
      title: "Conflicts",
      blurb: (
        <>
          Changes made on two devices at once: compare both sides and decide, or undo an automatic merge.
          <Suspense fallback={null}>
            <span className="block">
              <OpenCount />
            </span>
          </Suspense>
        </>
      ),
      to: "admin/conflicts",
    },
  },
];
