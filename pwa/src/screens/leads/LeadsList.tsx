// Leads from the local store: searched and filtered on the device, virtualised for long lists.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useDeferredValue, useMemo, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { useWorkspace } from "../../app/AppProvider";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { useLive } from "../../hooks/useLive";
import { useSyncStatus } from "../../hooks/useSyncStatus";
import type { RecordRow } from "../../store/types";
import { Badge, statusTone } from "../../ui/Badge";
import { buttonClass } from "../../ui/Button";
import { Input, Select } from "../../ui/Field";

const SEARCHED = ["name", "contact_person", "email", "phone", "city", "lead_source"] as const;
const ROW_HEIGHT = 68;

export function matchesSearch(lead: RecordRow, query: string): boolean {
  if (!query) return true;
  const needle = query.toLowerCase();
  return SEARCHED.some((f) =>
    String(lead[f] ?? "")
      .toLowerCase()
      .includes(needle),
  );
}

export function LeadsList() {
  const { store } = useWorkspace();
  const config = useCRMConfig();
  const sync = useSyncStatus();
  const navigate = useNavigate();
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState("");
  const deferredQuery = useDeferredValue(query.trim());
  const leads = useLive(store, (s) => s.list("lead"), [], ["records"]);

  const visible = useMemo(
    () =>
      (leads ?? [])
        .filter((l) => !l.deleted_at && (!status || l.lead_status === status) && matchesSearch(l, deferredQuery))
        .sort((a, b) => String(b.updated_at ?? "").localeCompare(String(a.updated_at ?? ""))),
    [leads, status, deferredQuery],
  );

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  return (
    <section className="flex h-[calc(100dvh-7rem)] flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-lg font-semibold">Leads</h1>
        <Link to="/leads/new" className={buttonClass("primary")}>
          New lead
        </Link>
      </div>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input
          type="search"
          placeholder="Search name, contact, email, phone, city"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Search leads"
        />
        <Select
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          aria-label="Filter by status"
          className="sm:w-48"
        >
          <option value="">All statuses</option>
          {config.options("lead_status").map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      </div>
      <p className="text-xs text-slate-500" aria-live="polite">
        {leads === undefined ? "Loading…" : `${visible.length} of ${leads.filter((l) => !l.deleted_at).length} leads`}
      </p>
      <div
        ref={scroller}
        className="min-h-0 flex-1 overflow-auto rounded-xl bg-white ring-1 ring-slate-200"
        data-testid="leads-list"
      >
        {leads !== undefined && visible.length === 0 && (
          <p className="p-6 text-center text-sm text-slate-500">
            {leads.length ? "No lead matches." : "No leads yet. Create the first one."}
          </p>
        )}
        <ul style={{ height: virtual.getTotalSize() }} className="relative">
          {virtual.getVirtualItems().map((item) => {
            const lead = visible[item.index] as RecordRow;
            return (
              <li
                key={lead.id}
                className="absolute inset-x-0 border-b border-slate-100"
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
              >
                <button
                  type="button"
                  onClick={() => navigate(`/leads/${lead.id}`)}
                  className="flex h-full w-full items-center gap-3 px-4 text-left hover:bg-slate-50"
                >
                  <div className="min-w-0 flex-1">
                    <p className="truncate font-medium">{String(lead.name ?? "")}</p>
                    <p className="truncate text-xs text-slate-500">
                      {[lead.contact_person, lead.phone, lead.city].filter(Boolean).join(" · ") || "—"}
                    </p>
                  </div>
                  {sync.reviewIds.has(lead.id) && <Badge tone="amber">Waiting for review</Badge>}
                  {sync.pendingIds.has(lead.id) && <Badge title="Saved on this device, not yet synced">Pending</Badge>}
                  <Badge tone={statusTone(String(lead.lead_status))}>
                    {config.label("lead_status", String(lead.lead_status ?? ""))}
                  </Badge>
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}
