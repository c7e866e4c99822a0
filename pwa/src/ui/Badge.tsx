import type { ReactNode } from "react";

type Tone = "slate" | "brand" | "amber" | "red" | "green" | "blue";

const TONES: Record<Tone, string> = {
  slate: "bg-slate-100 text-slate-700 ring-slate-200",
  brand: "bg-brand-50 text-brand-800 ring-brand-100",
  amber: "bg-amber-50 text-amber-800 ring-amber-200",
  red: "bg-red-50 text-red-700 ring-red-200",
  green: "bg-green-50 text-green-700 ring-green-200",
  blue: "bg-sky-50 text-sky-700 ring-sky-200",
};

export function Badge({ tone = "slate", children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span
      title={title}
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}

// One tone per value across the closed lists (lead, client, project, follow-up statuses).
const STATUS_TONES: Record<string, Tone> = {
  new: "blue",
  contacted: "amber",
  qualified: "brand",
  lost: "slate",
  converted: "green",
  prospect: "blue",
  active: "green",
  inactive: "slate",
  cancelled: "slate",
  pending: "amber",
  completed: "green",
  rescheduled: "blue",
};

export const statusTone = (value: string): Tone => STATUS_TONES[value] ?? "slate";
