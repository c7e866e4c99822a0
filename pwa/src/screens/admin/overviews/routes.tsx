// Admin overviews of leads, clients, projects and accounts: one lazily loaded screen (field staff
// never download it), a route and an Admin-home card per entity.
import { lazy, Suspense } from "react";
import type { AdminSection } from "../sections";
import { OVERVIEW_ENTITIES, OVERVIEWS } from "./entities";

const OverviewScreen = lazy(() => import("./OverviewScreen"));

const BLURBS = {
  lead: "Every lead of the company: filter, sort, assign in bulk, edit, export.",
  client: "Every client: filter, sort, assign or change status in bulk, export.",
  project: "Every project: filter by status and dates, bulk changes, export.",
  account: "Every account: filter, sort, change status in bulk, export.",
} as const;

export const OVERVIEW_SECTIONS: AdminSection[] = OVERVIEW_ENTITIES.map((entity) => {
  const { path } = OVERVIEWS[entity];
  const title = path.charAt(0).toUpperCase() + path.slice(1);
  return {
    routes: [
      {
        path: `admin/${path}`,
        ...(entity === "project" ? { feature: "projects" } : {}),
        element: (
          <Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}>
            {/* keyed: moving between overviews starts each with its own state */}
            <OverviewScreen key={entity} entity={entity} />
          </Suspense>
        ),
      },
    ],
    card: { title, blurb: BLURBS[entity], to: `admin/${path}` },
  };
});
