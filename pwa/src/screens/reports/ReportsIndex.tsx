// The reports a user may open, by group (the admin-only ones for admins only), each a card.
import { Link } from "react-router";
import { useSyncStatus } from "../../hooks/useSyncStatus";
import { useIsAdmin } from "../admin/AdminOnly";
import { GROUPS, reportsFor } from "./catalog";
import { reportScreenPath } from "./query";

export default function ReportsIndex() {
  const reports = reportsFor(useIsAdmin());
  const { online } = useSyncStatus();
  return (
    <section aria-labelledby="reports-title" className="space-y-5" data-testid="reports-index">
      <div>
        <h1 id="reports-title" className="text-xl font-semibold">
          Reports
        </h1>
        <p className="text-sm text-slate-600">Numbers across the records you can see, run on the server.</p>
      </div>
      {!online && (
        <p role="status" className="rounded-xl bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
          Reports need a connection to the server, and you are offline.
        </p>
      )}
      {GROUPS.map((group) => {
        const inGroup = reports.filter((r) => r.group === group);
        if (inGroup.length === 0) return null;
        return (
          <section key={group} aria-label={group} className="space-y-2">
            <h2 className="text-sm font-medium uppercase tracking-wide text-slate-500">{group}</h2>
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {inGroup.map((r) => (
                <li key={r.name}>
                  <Link
                    to={reportScreenPath(r.name)}
                    className="block h-full rounded-xl border border-slate-200 bg-white p-4 hover:border-brand-300 hover:bg-brand-50"
                  >
                    <span className="font-medium text-slate-900">{r.title}</span>
                    <span className="mt-1 block text-sm text-slate-600">{r.blurb}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}
