// The classes of each series tone (full class names, so Tailwind generates them).
import type { Tone } from "./types";

export const FILL: Record<Tone, string> = {
  brand: "fill-brand-600",
  sky: "fill-sky-500",
  amber: "fill-amber-500",
  red: "fill-red-500",
  slate: "fill-slate-400",
  green: "fill-green-600",
};

export const STROKE: Record<Tone, string> = {
  brand: "stroke-brand-700",
  sky: "stroke-sky-600",
  amber: "stroke-amber-600",
  red: "stroke-red-600",
  slate: "stroke-slate-500",
  green: "stroke-green-700",
};

/** Legend swatches (HTML). */
export const SWATCH: Record<Tone, string> = {
  brand: "bg-brand-600",
  sky: "bg-sky-500",
  amber: "bg-amber-500",
  red: "bg-red-500",
  slate: "bg-slate-400",
  green: "bg-green-600",
};
