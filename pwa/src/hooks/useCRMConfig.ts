// useCRMConfig(): the tenant's branding, labels and lists, from the synced config (offline too).
import { useMemo } from "react";
import { useWorkspace } from "../app/AppProvider";
import {
  type CLOSED_LISTS,
  type ClosedList,
  closedOptions,
  humanize,
  type Option,
  parseTenantConfig,
  type TenantConfig,
} from "../config/tenantConfig";
import { useLive } from "./useLive";

const BRANDING_KEY = "pathsix.branding";

export interface CRMConfig extends TenantConfig {
  tenantName: string;
  appName: string;
  loaded: boolean;
  options<L extends ClosedList>(list: L): Option<(typeof CLOSED_LISTS)[L][number]>[];
  label(list: ClosedList, value: string | null | undefined): string;
  feature(name: string, fallback?: boolean): boolean;
}

/** The last branding seen, for screens shown before sign-in (the login page). */
export function cachedAppName(): string {
  try {
    return globalThis.localStorage?.getItem(BRANDING_KEY) ?? "PathSix CRM";
  } catch {
    return "PathSix CRM";
  }
}

export function useCRMConfig(): CRMConfig {
  const { store } = useWorkspace();
  const row = useLive(store, (s) => s.config(), [], ["config"]);
  return useMemo(() => {
    const config = parseTenantConfig(row?.config);
    const appName = config.branding.app_name ?? "PathSix CRM";
    try {
      if (row) globalThis.localStorage?.setItem(BRANDING_KEY, appName);
    } catch {
      // storage full or disabled: the default name is fine
    }
    return {
      ...config,
      tenantName: row?.name ?? "",
      appName,
      loaded: row !== undefined,
      options: (list) => closedOptions(config, list),
      label: (list, value) => {
        if (!value) return "";
        return closedOptions(config, list).find((o) => o.value === value)?.label ?? humanize(value);
      },
      feature: (name, fallback = true) => config.features[name] ?? fallback,
    };
  }, [row]);
}
