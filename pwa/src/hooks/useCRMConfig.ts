// useCRMConfig(): the tenant's branding, labels, lists, currency, date format and feature
// toggles, from the synced config (so it works offline too).
import { useMemo } from "react";
import { useWorkspace } from "../app/AppProvider";
import { type CRMConfig, crmConfig } from "../config/crmConfig";
import { useLive } from "./useLive";

export type { CRMConfig } from "../config/crmConfig";

const BRANDING_KEY = "pathsix.branding";

interface CachedBranding {
  appName: string;
  brand: string | null;
}

/** The last branding seen, for screens shown before sign-in (the login page). */
export function cachedBranding(): CachedBranding {
  try {
    const raw = globalThis.localStorage?.getItem(BRANDING_KEY);
    const parsed = raw?.startsWith("{") ? (JSON.parse(raw) as Partial<CachedBranding>) : {};
    return { appName: parsed.appName ?? "PathSix CRM", brand: parsed.brand ?? null };
  } catch {
    return { appName: "PathSix CRM", brand: null };
  }
}

export function useCRMConfig(): CRMConfig {
  const { store } = useWorkspace();
  const row = useLive(store, (s) => s.config(), [], ["config"]);
  return useMemo(() => {
    const config = crmConfig(row?.config, row?.name ?? "", row !== undefined);
    try {
      if (row) {
        const cached: CachedBranding = { appName: config.appName, brand: config.brand };
        globalThis.localStorage?.setItem(BRANDING_KEY, JSON.stringify(cached));
      }
    } catch {
      // storage full or disabled: the default branding is fine
    }
    return config;
  }, [row]);
}
