// The overview's server state: the remembered view (loaded on open, saved a moment after each
// change) and the page on screen (fetched again whenever what it shows changes).
import { useCallback, useEffect, useRef, useState } from "react";
import { useApp } from "../../../app/AppProvider";

import { fetchPage, loadPreferences, saveView } from "./api";
import type { OverviewPage, OverviewSpec } from "./entities";
import { problemText } from "./messages";
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
      (err: unknown) => setSaveError(`Your view settings were not remembered: ${problemText(err)}`),
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

export interface PageState {
  data: OverviewPage | null;
  loading: boolean;
  error: unknown;
}

/** The page of records for these filters, view and page number; `reload` fetches it again. */
export function useOverviewPage(
  spec: OverviewSpec,
  filters: OverviewFilters,
  view: ViewSettings | null,
  page: number,
  reload: number,
): PageState {
  const { api } = useApp();
  const [state, setState] = useState<PageState>({ data: null, loading: true, error: null });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload is the caller's "fetch again"
  useEffect(() => {
    if (!view) return;
    let alive = true;
    // The previous page stays on screen (marked busy) until this one arrives.
    setState((s) => ({ ...s, loading: true }));
    fetchPage(api, spec, filters, view, page).then(
      (data) => alive && setState({ data, loading: false, error: null }),
      (error: unknown) => alive && setState((s) => ({ ...s, loading: false, error })),
    );
    return () => {
      alive = false;
    };
  }, [api, spec, filters, view, page, reload]);

  return state;
}
