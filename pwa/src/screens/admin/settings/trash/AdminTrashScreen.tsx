// Admin Trash: trashed leads, clients and projects read from the server (not the device), with a
// filter, bulk selection, restore, and delete for good after a confirmation; each action answers
// per record. Cards on a phone, a table from `sm` up. (Trash in the main navigation is the
// device's own, offline-capable one.)
import { useMemo, useState } from "react";
import { useApp, useWorkspace } from "../../../../app/AppProvider";
import { useCRMConfig } from "../../../../hooks/useCRMConfig";
import { useLive } from "../../../../hooks/useLive";
import { useDesktop } from "../../../../hooks/useMediaQuery";
import { TOP_ENTITIES, type TopEntity } from "../../../../records/paths";
import { Button } from "../../../../ui/Button";
import { Dialog } from "../../../../ui/Dialog";
import { relativeTime } from "../../../../ui/time";
import { EntityFilter } from "../../../trash/EntityFilter";
import { errorText } from "../../shared/messages";
import { LoadStatus, NeedsConnection } from "../../shared/ServerStatus";
import { useServerData } from "../../shared/useServerData";
import { joinWords, type Outcome } from "../shared/outcomes";
import { OutcomeReport, SettingsHeader } from "../shared/ui";
import {
  appendPage,
  moreToLoad,
  type Selection,
  selectedItems,
  selectionOf,
  setSelected,
  shownItems,
  type TrashFilter,
  type TrashPages,
  totalOf,
  withoutDone,
} from "./adminTrash";
import { itemKey, purgeItems, restoreItems, type TrashItem, trashPage } from "./trashApi";

async function firstPages(load: (entity: TopEntity) => ReturnType<typeof trashPage>): Promise<TrashPages> {
  const pages = await Promise.all(TOP_ENTITIES.map(async (e) => [e, await load(e)] as const));
  return Object.fromEntries(pages);
}

export function AdminTrashScreen() {
  const { api } = useApp();
  const { store, engine } = useWorkspace();
  const config = useCRMConfig();
  const desktop = useDesktop();
  const users = useLive(store, (s) => s.users(), [], ["users"]);
  const owners = useMemo(() => new Map((users ?? []).map((u) => [u.id, u.name || u.email])), [users]);
  const pages = useServerData(() => firstPages((e) => trashPage(api, e)), [api]);
  const [filter, setFilter] = useState<TrashFilter>("all");
  const [selected, setSelection] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<{ verb: string; outcomes: Outcome[] } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const loaded = pages.data ?? {};
  const items = shownItems(loaded, filter);
  const keys = items.map(itemKey);
  const chosen = selectedItems(items, selected);
  const all: Selection = selectionOf(selected, keys);
  const canAct = pages.online && !busy && chosen.length > 0;

  const run = async (verb: string, action: (items: TrashItem[]) => Promise<Outcome[]>) => {
    setBusy(true);
    setFailure(null);
    try {
      const outcomes = await action(chosen);
      pages.update((p) => p && withoutDone(p, outcomes));
      setSelection((s) => setSelected(s, outcomes.filter((o) => o.ok).map(itemKey), false));
      setReport({ verb, outcomes });
      engine.request(); // this device's own Trash and lists follow at once
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  const loadMore = async () => {
    setFailure(null);
    try {
      for (const entity of moreToLoad(loaded, filter)) {
        const page = await trashPage(api, entity, loaded[entity]?.next_cursor ?? null);
        pages.update((p) => p && appendPage(p, entity, page));
      }
    } catch (err) {
      setFailure(errorText(err));
    }
  };

  const checkbox = (item: TrashItem) => (
    <input
      type="checkbox"
      id={`pick-${itemKey(item)}`}
      aria-label={`Select ${item.name}`}
      checked={selected.has(itemKey(item))}
      onChange={(e) => setSelection((s) => setSelected(s, [itemKey(item)], e.target.checked))}
      className="h-4 w-4 rounded border-slate-300 accent-brand-700"
    />
  );
  const owner = (item: TrashItem) => (item.owner ? (owners.get(item.owner) ?? "Someone else") : "—");
  const trashed = (item: TrashItem) => (
    <span title={config.dateTime(item.deleted_at)}>{relativeTime(item.deleted_at)}</span>
  );
  const counts = (list: readonly TrashItem[]) =>
    joinWords(
      TOP_ENTITIES.map((e) => [e, list.filter((i) => i.entity === e).length] as const)
        .filter(([, n]) => n > 0)
        .map(([e, n]) => `${n} ${config.noun(e, n !== 1).toLowerCase()}`),
    );

  return (
    <section aria-labelledby="admin-trash-title" className="space-y-4">
      <SettingsHeader
        id="admin-trash-title"
        title="Admin Trash"
        intro={`Trashed ${config.noun("lead", true).toLowerCase()}, ${config.noun("client", true).toLowerCase()} and ${config.noun("project", true).toLowerCase()} on the server. Restore puts them back for their owners; delete for good removes them for everyone.`}
      />
      {pages.data && !pages.online ? (
        <NeedsConnection what="Admin Trash" />
      ) : (
        <LoadStatus state={pages} what="Admin Trash" />
      )}
      {pages.data && (
        <>
          <EntityFilter value={filter} onChange={setFilter} count={(value) => totalOf(loaded, value)} />
          <div className="flex flex-wrap items-center gap-2 rounded-xl bg-white p-2 ring-1 ring-slate-200">
            <label className="flex items-center gap-2 px-1 text-sm">
              <input
                type="checkbox"
                checked={all === "all"}
                ref={(el) => {
                  if (el) el.indeterminate = all === "some";
                }}
                disabled={keys.length === 0}
                onChange={(e) => setSelection((s) => setSelected(s, keys, e.target.checked))}
                className="h-4 w-4 rounded border-slate-300 accent-brand-700"
              />
              Select all shown
            </label>
            <span className="text-sm text-slate-500" aria-live="polite">
              {chosen.length} selected
            </span>
            <div className="ml-auto flex flex-wrap gap-2">
              <Button
                variant="secondary"
                disabled={!canAct}
                onClick={() => void run("Restored", (list) => restoreItems(api, list))}
              >
                Restore{chosen.length ? ` ${chosen.length}` : ""}
              </Button>
              <Button variant="danger" disabled={!canAct} onClick={() => setConfirming(true)}>
                Delete for good{chosen.length ? ` ${chosen.length}` : ""}
              </Button>
            </div>
          </div>
          {failure && (
            <p role="alert" className="text-sm text-red-700">
              {failure}
            </p>
          )}
          <OutcomeReport outcomes={report?.outcomes ?? null} verb={report?.verb ?? ""} testId="trash-result" />
          {items.length === 0 ? (
            <p className="rounded-xl bg-white p-4 text-sm text-slate-500 ring-1 ring-slate-200">Trash is empty.</p>
          ) : desktop ? (
            <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200">
              <table aria-label="Trashed records" data-testid="admin-trash-list" className="w-full text-left text-sm">
                <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
                  <tr>
                    <th scope="col" className="w-10 px-4 py-2">
                      <span className="sr-only">Selected</span>
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Name
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Type
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Owner
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Trashed
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={itemKey(item)} data-name={item.name} className="border-t border-slate-100">
                      <td className="px-4 py-2">{checkbox(item)}</td>
                      <td className="px-4 py-2 font-medium text-slate-900">{item.name}</td>
                      <td className="px-4 py-2 text-slate-600">{config.noun(item.entity)}</td>
                      <td className="px-4 py-2 text-slate-600">{owner(item)}</td>
                      <td className="px-4 py-2 text-slate-600">{trashed(item)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <ul aria-label="Trashed records" data-testid="admin-trash-list" className="space-y-2">
              {items.map((item) => (
                <li key={itemKey(item)} data-name={item.name}>
                  <label
                    htmlFor={`pick-${itemKey(item)}`}
                    className="flex items-start gap-3 rounded-xl bg-white p-3 ring-1 ring-slate-200"
                  >
                    <span className="pt-0.5">{checkbox(item)}</span>
                    <span className="min-w-0 flex-1">
                      <span className="block truncate font-medium text-slate-900">{item.name}</span>
                      <span className="block text-xs text-slate-500">
                        {config.noun(item.entity)} · {owner(item)} · trashed {trashed(item)}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
          <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
            <span>
              {items.length} of {totalOf(loaded, filter)}
            </span>
            {moreToLoad(loaded, filter).length > 0 && (
              <Button variant="secondary" onClick={() => void loadMore()} disabled={!pages.online}>
                Show more
              </Button>
            )}
          </div>
        </>
      )}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Delete ${chosen.length} for good?`}
        description={
          <>
            <p>
              {counts(chosen)} will be deleted on the server, for everyone. Their contacts, interactions, accounts,
              subscriptions and notes go with them; their projects stay, unlinked.
            </p>
            <p className="mt-2 font-medium text-red-800">This cannot be undone.</p>
          </>
        }
      >
        <div className="flex flex-wrap gap-2">
          <Button variant="danger" disabled={busy} onClick={() => void run("Deleted", (l) => purgeItems(api, l))}>
            {busy ? "Deleting…" : "Delete for good"}
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </div>
      </Dialog>
    </section>
  );
}
