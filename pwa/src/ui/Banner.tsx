// A full-width notice under the header (session, storage, updates): role=status for news,
// role=alert for a problem that needs attention now.
import type { ReactNode } from "react";

const TONES = {
  amber: "bg-amber-50 text-amber-900 ring-amber-200",
  red: "bg-red-50 text-red-900 ring-red-200",
  blue: "bg-sky-50 text-sky-900 ring-sky-200",
} as const;

export function Banner({
  tone = "amber",
  urgent = false,
  children,
  action,
  testId,
}: {
  tone?: keyof typeof TONES;
  urgent?: boolean;
  children: ReactNode;
  action?: ReactNode;
  testId?: string;
}) {
  return (
    <div
      role={urgent ? "alert" : "status"}
      data-testid={testId}
      className={`flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-2 text-sm ring-1 ring-inset ${TONES[tone]}`}
    >
      <div className="min-w-0 flex-1">{children}</div>
      {action}
    </div>
  );
}
