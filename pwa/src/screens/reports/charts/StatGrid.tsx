// The report's headline numbers ("big numbers"): a label and a large value each.
import type { Stat } from "./types";

export function StatGrid({ stats }: { stats: Stat[] }) {
  if (stats.length === 0) return null;
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" data-testid="report-stats">
      {stats.map((s) => (
        <div key={s.key} className="rounded-xl bg-white p-3 ring-1 ring-slate-200">
          <dt className="text-xs text-slate-600">{s.label}</dt>
          <dd className="mt-1 text-xl font-semibold tabular-nums text-slate-900 sm:text-2xl">{s.value}</dd>
        </div>
      ))}
    </dl>
  );
}
