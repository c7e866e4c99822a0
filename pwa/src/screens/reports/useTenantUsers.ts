// The tenant's users for an admin's "as seen by" filter (GET /api/v1/admin/users, every page).
// Not requested for anyone else: only admins may choose whose report to see.
import type { ApiClient } from "../../api/http";
import { useApp } from "../../app/AppProvider";
import { UserAdminList, type UserAdminRead } from "../../contracts/zod";
import { useServerData } from "../admin/shared/useServerData";

/** Enough pages for any tenant this filter is usable for; a longer list is cut, not fetched forever. */
const MAX_PAGES = 20;

async function allUsers(api: ApiClient): Promise<UserAdminRead[]> {
  const found: UserAdminRead[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const qs: string = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const list = await api.request("GET", `/api/v1/admin/users?${qs}`, undefined, UserAdminList);
    found.push(...list.items);
    cursor = list.next_cursor;
    if (!cursor) break;
  }
  return found;
}

/** The users, or null until they are known: a failure leaves the filter at "everyone" (the
 * report itself says what is wrong with the connection). */
export function useTenantUsers(enabled: boolean): UserAdminRead[] | null {
  const { api } = useApp();
  return useServerData(() => allUsers(api), [api], { enabled }).data ?? null;
}
