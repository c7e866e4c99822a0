// The reports screens, for everyone (user-activity and sync-health are admin-only on the
// server, and hidden from others here). Lazily loaded: field staff who never open a report
// never download these screens.
import { lazy, type ReactNode, Suspense } from "react";
import type { AppRoute } from "../../app/routes";

const ReportsIndex = lazy(() => import("./ReportsIndex"));
const ReportScreen = lazy(() => import("./ReportScreen"));

const loading = (screen: ReactNode) => (
  <Suspense
    fallback={
      <p role="status" className="text-sm text-slate-500">
        Loading…
      </p>
    }
  >
    {screen}
  </Suspense>
);

export const REPORT_ROUTES: AppRoute[] = [
  { path: "reports", element: loading(<ReportsIndex />), nav: "Reports", icon: "reports" },
  // the rest of the path is the report's name, as in the API ("subscriptions/income")
  { path: "reports/*", element: loading(<ReportScreen />) },
];
