// One report: its filters (from the URL), headline numbers, charts, the table of the same
// numbers and the downloads. Online only; offline it says so and keeps what is already shown.
import { useId, useMemo } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { useIsAdmin } from "../admin/AdminOnly";
import { LoadError, NeedsConnection } from "../admin/shared/ServerStatus";
import { useConnection } from "../admin/shared/useServerData";
import { type ReportMeta, reportMeta } from "./catalog";
import { Chart } from "./charts/Chart";
import { StatGrid } from "./charts/StatGrid";
import { Downloads } from "./Downloads";
import { FilterBar } from "./FilterBar";
import { apiQuery, type ExportFormat, filtersToSearch, parseFilters, type ReportFilters, reportApiPath } from "./query";
import { ReportTable } from "./ReportTable";
import { useReport } from "./useReport";
import { useTenantUsers } from "./useTenantUsers";
import { buildReportView } from "./viewModel";

const BACK = (
  <Link to="/reports" className="text-sm text-brand-700 hover:underline">
    ← Reports
  </Link>
);

export default function ReportScreen() {
  const name = useParams()["*"];
  const meta = reportMeta(name);
  const admin = useIsAdmin();
  if (!meta || (meta.admin && !admin)) {
    return (
      <section className="space-y-3">
        {BACK}
        <p role="alert" className="text-sm text-slate-600">
          {meta ? "This report is for administrators." : "There is no such report."}
        </p>
      </section>
    );
  }
  // keyed: each report starts with its own state (no numbers of the previous one)
  return <ReportPage key={meta.name} meta={meta} admin={admin} />;
}

function ReportPage({ meta, admin }: { meta: ReportMeta; admin: boolean }) {
  const config = useCRMConfig();
  const online = useConnection() === "online";
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => parseFilters(search), [search]);
  const today = new Date();
  const path = reportApiPath(meta.name, apiQuery(filters, today, meta.window));
  const state = useReport(path);
  const users = useTenantUsers(admin);
  // A report this app cannot lay out (a newer server's columns) is said in words, not a blank page.
  const built = useMemo(() => {
    if (!state.report) return { view: null, error: null };
    try {
      return { view: buildReportView(state.report, meta, config), error: null };
    } catch (err) {
      return { view: null, error: err instanceof Error ? err.message : String(err) };
    }
  }, [state.report, meta, config]);
  const view = built.view;
  const tableId = useId();
  const change = (next: ReportFilters) => setSearch(filtersToSearch(next));
  const fileOf = (format: ExportFormat) => reportApiPath(meta.name, apiQuery(filters, new Date(), meta.window, format));
  const loading = state.phase === "loading";
  const params = state.report?.params;

  return (
    <section aria-labelledby="report-title" className="space-y-4" data-testid="report" data-phase={state.phase}>
      {BACK}
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 id="report-title" className="text-xl font-semibold">
            {meta.title}
          </h1>
          <p className="text-sm text-slate-600">{meta.blurb}</p>
          <p aria-live="polite" className="mt-1 text-sm text-slate-700" data-testid="report-period">
            {view ? `${view.period} · as of ${view.generatedAt}` : ""}
          </p>
        </div>
        <Downloads
          path={fileOf}
          fallbackName={(format) => `${meta.name.replace("/", "_")}.${format}`}
          offline={!online}
        />
      </div>
      <FilterBar
        // a new URL (back, forward, a link) starts the filters afresh from it
        key={search.toString()}
        meta={meta}
        filters={filters}
        onChange={change}
        resolved={params ? { start: params.start_date, end: params.end_date } : null}
        fieldErrors={state.fieldErrors}
        users={admin ? (users ?? []) : null}
      />
      {state.phase === "offline" && (
        <NeedsConnection what="This report">
          {view && "The numbers below are from the last time the report ran."}
        </NeedsConnection>
      )}
      {state.phase === "error" && <LoadError error={state.error} onRetry={state.retry} />}
      {built.error && (
        <p role="alert" className="rounded-xl bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
          This report cannot be shown by this version of the app ({built.error}). The downloads still work.
        </p>
      )}
      {!view && loading && (
        <p role="status" className="rounded-xl bg-white p-6 text-center text-sm text-slate-500 ring-1 ring-slate-200">
          Running the report…
        </p>
      )}
      {view && (
        <div aria-busy={loading} className={`space-y-4 transition-opacity ${loading ? "opacity-60" : ""}`}>
          {loading && (
            <p role="status" className="sr-only">
              Updating the report…
            </p>
          )}
          <StatGrid stats={view.stats} />
          {view.notices.map((n) => (
            <p key={n} className="text-sm text-slate-600">
              {n}
            </p>
          ))}
          {view.charts.length > 0 && (
            <div className={`grid gap-4 ${view.charts.length > 1 ? "lg:grid-cols-2" : ""}`}>
              {view.charts.map((spec) => (
                <Chart key={spec.title} spec={spec} tableId={view.rows.length > 0 ? tableId : undefined} />
              ))}
            </div>
          )}
          {view.empty && (
            <p
              className="rounded-xl bg-white p-6 text-center text-sm text-slate-500 ring-1 ring-slate-200"
              data-testid="report-empty"
            >
              {view.empty}
            </p>
          )}
          {view.rows.length > 0 && (
            <ReportTable id={tableId} caption={`${meta.title}: the numbers`} columns={view.columns} rows={view.rows} />
          )}
        </div>
      )}
    </section>
  );
}
