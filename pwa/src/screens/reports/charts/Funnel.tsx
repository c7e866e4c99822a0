// A funnel: each stage a centred bar as wide as its share of the first stage, its label and
// value above it.
import { shareOf } from "./scale";
import { FILL } from "./tones";
import type { FunnelSpec } from "./types";

const ROW = 46;

export function Funnel({ spec }: { spec: FunnelSpec }) {
  const first = spec.data[0]?.values[0] ?? 0;
  const tone = spec.series[0]?.tone ?? "brand";
  return (
    <svg width="100%" height={spec.data.length * ROW} aria-hidden="true" className="block text-xs">
      {spec.data.map((d, i) => {
        const value = d.values[0] ?? 0;
        const share = i === 0 ? (first > 0 ? 100 : 0) : shareOf(value, first);
        // a stage with something in it stays visible however small its share
        const width = value > 0 ? Math.max(share, 2) : 0;
        return (
          <g key={d.label} transform={`translate(0 ${i * ROW})`}>
            <text x="50%" y="12" textAnchor="middle" className="fill-slate-700">
              {`${d.label}: `}
              <tspan className="fill-slate-900 font-semibold">{d.texts[0]}</tspan>
              {i > 0 && first > 0 ? ` (${share}% of ${spec.data[0]?.label.toLowerCase()})` : ""}
            </text>
            <rect x="0" y="18" width="100%" height="20" rx="4" className="fill-slate-100" />
            {width > 0 && (
              <rect
                x={`${(100 - width) / 2}%`}
                y="18"
                width={`${width}%`}
                height="20"
                rx="4"
                className={FILL[d.tone ?? tone]}
              />
            )}
          </g>
        );
      })}
    </svg>
  );
}
