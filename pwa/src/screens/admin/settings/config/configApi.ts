// The tenant configuration on the server (admin). PUT replaces the whole config and announces
// it to every device (entity `config` in their next pull), which is how it reaches them.
import type { ApiClient } from "../../../../api/http";
import { TenantConfig } from "../../../../contracts/zod";

const ADMIN_CONFIG = "/api/v1/admin/config";

export function loadConfig(api: ApiClient): Promise<TenantConfig> {
  return api.request("GET", ADMIN_CONFIG, undefined, TenantConfig);
}

export function saveConfig(api: ApiClient, config: TenantConfig): Promise<TenantConfig> {
  return api.request("PUT", ADMIN_CONFIG, config, TenantConfig);
}
