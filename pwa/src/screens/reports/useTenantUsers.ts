// The tenant's users for an admin's "as seen by" filter (GET /api/v1/admin/users, every page).
// Not requested for anyone else: only admins may choose whose report to see.
import { useEffect, useState } from "react";
import { useApp } from "../../app/AppProvider";
import { UserAdminList, type UserAdminRead } from "../../contracts/zod";

/** Enough pages for any tenant this filter is usable for; a longer list is cut, not fetched forever. */
const MAX_PAGES = 20;

export function useTenantUsers(enabled: boolean, online: boolean): UserAdminRead[] | null {
  const { api } = useApp();
  const [users, setUsers] = useState<UserAdminRead[] | null>(null);
  useEffect(() => {
    if (!enabled || !online) return;
    let current = true;
    (async () => {
      const found: UserAdminRead[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const qs: string = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const list = await api.request("GET", `/api/v1/admin/users?${qs}`, undefined, UserAdminList);
        found.push(...list.items);
        cursor = list.next_cursor;
        if (!cursor) break;
      }
      if (current) setUsers(found);
    })().catch(() => {
      // the filter stays at "everyone"; the report itself says what is wrong with the connection
    });
    return () => {
      current = false;
    };
  }, [api, enabled, online]);
  return users;
}
