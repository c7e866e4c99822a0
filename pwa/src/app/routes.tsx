// The screens of the authenticated app. New screens (clients, projects, calendar, admin…) add an
// entry here; `nav` entries appear in the navigation.
import type { ReactNode } from "react";
import { LeadDetail } from "../screens/leads/LeadDetail";
import { LeadFormScreen } from "../screens/leads/LeadForm";
import { LeadsList } from "../screens/leads/LeadsList";
import { SyncScreen } from "../screens/SyncScreen";

export interface AppRoute {
  path: string;
  element: ReactNode;
  nav?: string;
}

export const APP_ROUTES: AppRoute[] = [
  { path: "leads", element: <LeadsList />, nav: "Leads" },
  { path: "leads/new", element: <LeadFormScreen mode="create" /> },
  { path: "leads/:id", element: <LeadDetail /> },
  { path: "leads/:id/edit", element: <LeadFormScreen mode="edit" /> },
  { path: "sync", element: <SyncScreen />, nav: "Sync" },
];
