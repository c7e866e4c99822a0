// Horizontal bars in one SVG. Widths are percentages of the SVG's width, so the chart fills any
// screen without measuring it; each category's label sits above its bar(s) with the value at
// the right end (stacked or single) or just after each bar's track (grouped).
import { barSegments, chartMax, clip } from "./scale";
import { FILL } from "./tones";
import type { BarChartSpec } from "./types";

const LABEL = 16;
const THICK = 14;
const THIN = 10;
const GAP = 12;
/** grouped bars leave room on the right for their value */
const GROUPED_AREA = 72;

export function BarChart({ spec }: { spec: BarChartSpec }) {
  const stacked = spec.mode === "stacked" || spec.series.length === 1;
  const max = chartMax(spec.data, stacked);
  const bars = stacked ? 1 : spec.series.length;
  const thickness = stacked ? THICK : THIN;
  const block = LABEL + 4 + bars * (thickness + 3) + GAP;
  const area = stacked ? 100 : GROUPED_AREA;
  return (
    <svg width="100%" height={spec.data.length * block} aria-hidden="true" className="block overflow-visible text-xs">
      {spec.data.map((d, i) => {
        const segments = barSegments(d.values, max, stacked);
        const total = d.total ?? d.texts[0];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: categories are positional (names may repeat)
          <g key={i} transform={`translate(0 ${i * block})`}>
            <title>{`${d.label}: ${spec.series.map((s, k) => `${s.label} ${d.texts[k] ?? ""}`).join(", ")}`}</title>
            <text x="0" y={LABEL - 4} className="fill-slate-700">
              {clip(d.label, 34)}
            </text>
            {stacked && (
              <text x="100%" y={LABEL - 4} textAnchor="end" className="fill-slate-900 font-medium">
                {total}
              </text>
            )}
            {Array.from({ length: bars }, (_, b) => {
              const y = LABEL + 4 + b * (thickness + 3);
              const drawn = stacked ? segments : [segments[b]];
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: the bars of a category are positional
                <g key={b}>
                  <rect x="0" y={y} width={`${area}%`} height={thickness} rx="3" className="fill-slate-100" />
                  {drawn.map((seg, k) => {
                    if (!seg || seg.width <= 0) return null;
                    const series = stacked ? k : b;
                    const tone = spec.series.length === 1 && d.tone ? d.tone : (spec.series[series]?.tone ?? "brand");
                    return (
                      <rect
                        // biome-ignore lint/suspicious/noArrayIndexKey: one segment per series, in order
                        key={k}
                        x={`${(seg.offset * area) / 100}%`}
                        y={y}
                        width={`${(seg.width * area) / 100}%`}
                        height={thickness}
                        rx="3"
                        className={FILL[tone]}
                      />
                    );
                  })}
                  {!stacked && (
                    <text x={`${area + 1.5}%`} y={y + thickness - 1} className="fill-slate-900">
                      {d.texts[b]}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
