// Values over time: gridlines with their values, the first series as an area, every series as
// a line with a dot per point. Lines are drawn in a stretched 0…1000 viewBox (strokes kept
// crisp with non-scaling-stroke); dots and labels use percentages of the real width, so nothing
// is distorted at any size.
import { areaPath, chartMax, labelStep, linePath, pointX, pointY, showLabel, ticks } from "./scale";
import { FILL, STROKE } from "./tones";
import type { LineChartSpec } from "./types";

const HEIGHT = 200;
const TOP = 14;
const BOTTOM = 172;

export function LineChart({ spec }: { spec: LineChartSpec }) {
  const axis = ticks(chartMax(spec.data, false));
  const max = axis.at(-1) ?? 1;
  const n = spec.data.length;
  // about one label per 80 px of a phone's width
  const step = labelStep(n, 4);
  return (
    <svg width="100%" height={HEIGHT} aria-hidden="true" className="block overflow-visible text-[11px]">
      {axis.map((t) => {
        const y = pointY(t, max, TOP, BOTTOM);
        return (
          <g key={t}>
            <line x1="0" x2="100%" y1={y} y2={y} className="stroke-slate-200" />
            <text x="0" y={y - 3} className="fill-slate-500">
              {spec.tick(t)}
            </text>
          </g>
        );
      })}
      <svg x="0" y="0" width="100%" height={HEIGHT} viewBox={`0 0 1000 ${HEIGHT}`} preserveAspectRatio="none">
        {spec.series.map((s, k) => {
          const values = spec.data.map((d) => d.values[k] ?? 0);
          return (
            <g key={s.key}>
              {k === 0 && <path d={areaPath(values, max, TOP, BOTTOM)} className={`${FILL[s.tone]} opacity-15`} />}
              <path
                d={linePath(values, max, TOP, BOTTOM)}
                fill="none"
                strokeWidth={2}
                vectorEffect="non-scaling-stroke"
                className={STROKE[s.tone]}
              />
            </g>
          );
        })}
      </svg>
      {spec.series.map((s, k) =>
        spec.data.map((d, i) => (
          <circle
            key={`${s.key}-${d.label}`}
            cx={`${pointX(i, n)}%`}
            cy={pointY(d.values[k] ?? 0, max, TOP, BOTTOM)}
            r={3}
            className={FILL[s.tone]}
          >
            <title>{`${d.label}: ${s.label} ${d.texts[k] ?? ""}`}</title>
          </circle>
        )),
      )}
      {spec.data.map((d, i) =>
        showLabel(i, n, step) ? (
          <text
            key={d.label}
            x={`${pointX(i, n)}%`}
            y={HEIGHT - 6}
            textAnchor={n === 1 ? "middle" : i === 0 ? "start" : i === n - 1 ? "end" : "middle"}
            className="fill-slate-600"
          >
            {d.label}
          </text>
        ) : null,
      )}
    </svg>
  );
}
