// Every admin screen, each area's routes wrapped in <AdminOnly>, and the Admin home.
import type { AppRoute } from "../../app/routes";
import { AdminHome } from "./AdminHome";
import { AdminOnly } from "./AdminOnly";
import { CONFLICT_SECTIONS } from "./conflicts/routes";
import { OVERVIEW_SECTIONS } from "./overviews/routes";
import { SETTINGS_SECTIONS } from "./settings/routes";

const SECTIONS = [...OVERVIEW_SECTIONS, ...CONFLICT_SECTIONS, ...SETTINGS_SECTIONS];

export const ADMIN_ROUTES: AppRoute[] = [
  {
    path: "admin",
    element: (
      <AdminOnly>
        <AdminHome sections={SECTIONS} />
      </AdminOnly>
    ),
    nav: "Admin",
    icon: "admin",
    admin: true,
  },
  ...SECTIONS.flatMap((s) => s.routes).map((r) => ({
    ...r,
    admin: true,
    element: <AdminOnly>{r.element}</AdminOnly>,
  })),
];
