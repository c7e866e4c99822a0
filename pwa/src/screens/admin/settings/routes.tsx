// Users and roles, tenant configuration, the tenant-wide Trash. Each screen is its own chunk
// (React.lazy): field staff never download admin code.
import { lazy, type ReactNode, Suspense } from "react";
import type { AdminSection } from "../sections";

const UsersScreen = lazy(() => import("./users/UsersScreen").then((m) => ({ default: m.UsersScreen })));
const ConfigScreen = lazy(() => import("./config/ConfigScreen").then((m) => ({ default: m.ConfigScreen })));
const AdminTrashScreen = lazy(() => import("./trash/AdminTrashScreen").then((m) => ({ default: m.AdminTrashScreen })));

function Screen({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}>{children}</Suspense>;
}

export const SETTINGS_SECTIONS: AdminSection[] = [
  {
    routes: [
      {
        path: "admin/users",
        element: (
          <Screen>
            <UsersScreen />
          </Screen>
        ),
      },
    ],
    card: {
      title: "Users and roles",
      blurb: "Add or invite people, set roles, deactivate someone who leaves and hand over their records.",
      to: "admin/users",
    },
  },
  {
    routes: [
      {
        path: "admin/config",
        element: (
          <Screen>
            <ConfigScreen />
          </Screen>
        ),
      },
    ],
    card: {
      title: "Company configuration",
      blurb: "Name, logo and colour, status names, lead sources, currency, date format, features.",
      to: "admin/config",
    },
  },
  {
    routes: [
      {
        path: "admin/trash",
        element: (
          <Screen>
            <AdminTrashScreen />
          </Screen>
        ),
      },
    ],
    card: {
      title: "Admin Trash",
      blurb: "Trashed leads, clients and projects on the server: restore or delete for good, in bulk.",
      to: "admin/trash",
    },
  },
];
