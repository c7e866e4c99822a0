// The overview's server state: the remembered view (loaded on open, saved a moment after each
// change) and the page on screen (fetched again whenever what it shows changes).
import { useCallback, useEffect, useRef, useState } from "react";
import { useApp } from "../../../app/AppProvider";
import { errorText } from "../shared/messages";
import { type ServerData, useServerData } from "../shared/useServerData";
import { fetchPage, loadPreferences, saveView } from "./api";
import type { OverviewPage, OverviewSpec } from "./entities";
import { defaultView, type OverviewFilters, type ViewSettings, viewFromPrefs } from "./query";

const SAVE_DELAY_MS = 600;

export interface ViewPrefs {
  /** null until the preferences have been read (or failed to be) */
  view: ViewSettings | null;
  change(patch: Partial<ViewSettings>): void;
  /** why the last change could not be remembered, if it could not */
  saveError: string | null;
}

export function useViewPrefs(spec: OverviewSpec, online: boolean): ViewPrefs {
  const { api } = useApp();
  const [view, setView] = useState<ViewSettings | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  // Changes are counted; the view as last rendered is what gets saved.
  const [changes, setChanges] = useState(0);
  const latest = useRef({ view, changes, saved: 0 });
  latest.current = { ...latest.current, view, changes };

  useEffect(() => {
    if (!online) return;
    let alive = true;
    loadPreferences(api).then(
      (prefs) => alive && setView((v) => v ?? viewFromPrefs(spec, prefs)),
      () => alive && setView((v) => v ?? defaultView(spec)),
    );
    return () => {
      alive = false;
    };
  }, [api, spec, online]);

  const save = useCallback(() => {
    const { view: settings, changes: upto } = latest.current;
    if (!settings || upto <= latest.current.saved) return;
    latest.current.saved = upto;
    saveView(api, spec, settings).then(
      () => setSaveError(null),
      (err: unknown) => setSaveError(`Your view settings were not remembered: ${errorText(err)}`),
    );
  }, [api, spec]);

  useEffect(() => {
    if (changes === 0) return;
    const timer = setTimeout(save, SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [changes, save]);
  // Leaving the screen right after a change still remembers it.
  useEffect(() => save, [save]);

  const change = useCallback((patch: Partial<ViewSettings>) => {
    setView((v) => v && { ...v, ...patch });
    setChanges((c) => c + 1);
  }, []);

  return { view, change, saveError };
}

/** The page of records for these filters, view and page number, asked for once the view is
 * known. The previous page stays on screen (marked busy) until this one arrives. */
export function useOverviewPage(
  spec: OverviewSpec,
  filters: OverviewFilters,
  view: ViewSettings | null,
  page: number,
): ServerData<OverviewPage> {
  const { api } = useApp();
  return useServerData(
    () => (view ? fetchPage(api, spec, filters, view, page) : Promise.reject(new Error("The view is not known yet."))),
    [api, spec, filters, view, page],
    { enabled: view !== null },
  );
}
