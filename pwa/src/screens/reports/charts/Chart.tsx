// One chart as a figure: its title, the drawing (by kind), a legend when there are several
// series, and a note. The drawing is hidden from assistive technology: the table under it has
// the same numbers, and the figure says so.
import { useId } from "react";
import { BarChart } from "./BarChart";
import { Funnel } from "./Funnel";
import { LineChart } from "./LineChart";
import { SWATCH } from "./tones";
import type { ChartSpec } from "./types";

export function Chart({ spec, tableId }: { spec: ChartSpec /** the table of the same numbers */; tableId?: string }) {
  const titleId = useId();
  return (
    <figure
      aria-labelledby={titleId}
      aria-describedby={tableId}
      className="rounded-xl bg-white p-4 ring-1 ring-slate-200"
      data-testid="report-chart"
    >
      <figcaption id={titleId} className="mb-3 text-sm font-medium text-slate-800">
        {spec.title}
        <span className="sr-only"> (chart; the same numbers are in the table below)</span>
      </figcaption>
      {spec.kind === "bar" && <BarChart spec={spec} />}
      {spec.kind === "line" && <LineChart spec={spec} />}
      {spec.kind === "funnel" && <Funnel spec={spec} />}
      {spec.series.length > 1 && (
        <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-hidden="true">
          {spec.series.map((s) => (
            <li key={s.key} className="flex items-center gap-1.5">
              <span className={`inline-block h-2.5 w-2.5 rounded-sm ${SWATCH[s.tone]}`} />
              {s.label}
            </li>
          ))}
        </ul>
      )}
      {spec.note && <p className="mt-2 text-xs text-slate-500">{spec.note}</p>}
    </figure>
  );
}
