// The screens of the authenticated app. `nav` entries appear in the navigation (the header on a
// desktop, the tab bar on a phone); `feature` hides one the tenant switched off.
import type { ReactNode } from "react";
import { RecordFormScreen } from "../records/RecordFormScreen";
import { ADMIN_ROUTES } from "../screens/admin/routes";
import { ClientDetail } from "../screens/clients/ClientDetail";
import { ClientsList } from "../screens/clients/ClientsList";
import { LeadDetail } from "../screens/leads/LeadDetail";
import { LeadsList } from "../screens/leads/LeadsList";
import { ProjectDetail } from "../screens/projects/ProjectDetail";
import { ProjectsList } from "../screens/projects/ProjectsList";
import { REPORT_ROUTES } from "../screens/reports/routes";
import { SyncScreen } from "../screens/SyncScreen";
import { SEARCH_ROUTES } from "../screens/search/routes";
import { TodayScreen } from "../screens/today/TodayScreen";
import { TrashScreen } from "../screens/trash/TrashScreen";
import type { IconName } from "../ui/icons";

export interface AppRoute {
  path: string;
  element: ReactNode;
  /** the navigation label: a fixed text, or the entity whose tenant noun (plural) it shows */
  nav?: string | { entity: "lead" | "client" | "project" };
  icon?: IconName;
  feature?: string;
  /** only for users with the admin role (the server refuses the API calls to anyone else too) */
  admin?: boolean;
}

export const APP_ROUTES: AppRoute[] = [
  { path: "today", element: <TodayScreen />, nav: "Today", icon: "today" },
  { path: "leads", element: <LeadsList />, nav: { entity: "lead" }, icon: "leads" },
  { path: "leads/new", element: <RecordFormScreen entity="lead" mode="create" /> },
  { path: "leads/:id", element: <LeadDetail /> },
  { path: "leads/:id/edit", element: <RecordFormScreen entity="lead" mode="edit" /> },
  { path: "clients", element: <ClientsList />, nav: { entity: "client" }, icon: "clients" },
  { path: "clients/new", element: <RecordFormScreen entity="client" mode="create" /> },
  { path: "clients/:id", element: <ClientDetail /> },
  { path: "clients/:id/edit", element: <RecordFormScreen entity="client" mode="edit" /> },
  { path: "projects", element: <ProjectsList />, nav: { entity: "project" }, icon: "projects", feature: "projects" },
  { path: "projects/new", element: <RecordFormScreen entity="project" mode="create" />, feature: "projects" },
  { path: "projects/:id", element: <ProjectDetail />, feature: "projects" },
  { path: "projects/:id/edit", element: <RecordFormScreen entity="project" mode="edit" />, feature: "projects" },
  ...SEARCH_ROUTES,
  ...REPORT_ROUTES,
  ...ADMIN_ROUTES,
  { path: "trash", element: <TrashScreen />, nav: "Trash", icon: "trash" },
  { path: "sync", element: <SyncScreen /> },
];
