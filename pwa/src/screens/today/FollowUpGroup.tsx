// One group of follow-ups on Today, each with its lead or client and a "Done" button (an offline
// edit of followup_status).
import { Link } from "react-router";
import { useWorkspace } from "../../app/AppProvider";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { pagePath } from "../../records/paths";
import { Button } from "../../ui/Button";
import type { FollowUp } from "./agenda";

const TONES = { red: "text-red-700", amber: "text-amber-800", slate: "text-slate-700" } as const;

export function FollowUpGroup({
  title,
  tone,
  items,
  names,
}: {
  title: string;
  tone: keyof typeof TONES;
  items: FollowUp[];
  names: ReadonlyMap<string, string>;
}) {
  const { engine } = useWorkspace();
  const config = useCRMConfig();
  if (items.length === 0) return null;
  return (
    <div>
      <h2 className={`mb-2 text-sm font-semibold ${TONES[tone]}`}>
        {title} <span className="font-normal text-slate-500">({items.length})</span>
      </h2>
      <ul className="divide-y divide-slate-100 rounded-xl bg-white ring-1 ring-slate-200" aria-label={title}>
        {items.map(({ interaction: row, due }) => {
          const partyId = String(row.client_id ?? row.lead_id ?? "");
          const href = pagePath("interaction", row);
          return (
            <li key={row.id} className="flex items-center gap-3 p-3">
              <div className="min-w-0 flex-1">
                {href ? (
                  <Link to={href} className="block truncate text-sm font-medium hover:underline">
                    {names.get(partyId) || "—"}
                  </Link>
                ) : (
                  <span className="block truncate text-sm font-medium">{names.get(partyId) || "—"}</span>
                )}
                <p className="truncate text-xs text-slate-500">
                  {config.dateTime(due.toISOString())} ·{" "}
                  {config.label("interaction_type", row.type as string) || "Follow-up"} · {String(row.summary ?? "")}
                </p>
              </div>
              <Button
                variant="secondary"
                className="px-2.5 py-1.5"
                aria-label={`Mark the follow-up with ${names.get(partyId) || "this record"} done`}
                onClick={() =>
                  void engine.mutate({
                    entity: "interaction",
                    id: row.id,
                    op: "update",
                    fields: { followup_status: "completed" },
                  })
                }
              >
                Done
              </Button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
