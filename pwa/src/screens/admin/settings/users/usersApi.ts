// Users and roles on the server (`/api/v1/admin/users`, admin only), parsed with the contract's
// schemas. Deactivation never deletes: it cuts the user's tokens and devices off (the server
// checks every request's user is active) until an admin reactivates them.
import type { ApiClient } from "../../../../api/http";
import {
  ReassignResponse,
  UserAdminList,
  UserAdminRead,
  type UserCreate,
  UserCreated,
  UsersQuery,
} from "../../../../contracts/zod";

const USERS = "/api/v1/admin/users";

export type UserState = "all" | "active" | "inactive";

export interface UsersFilter {
  q: string;
  state: UserState;
}

/** The query string of one page of users (validated with the contract's UsersQuery). */
export function usersQuery(filter: UsersFilter, cursor: string | null, limit = 50): string {
  const query = UsersQuery.parse({
    limit,
    count: true,
    ...(filter.q.trim() ? { q: filter.q.trim() } : {}),
    ...(filter.state === "all" ? {} : { active: filter.state === "active" }),
    ...(cursor ? { cursor } : {}),
  });
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return `?${params}`;
}

/** A loaded page of users with one user replaced by the server's new state of it. */
export function replaceUser(list: UserAdminList | undefined, user: UserAdminRead): UserAdminList | undefined {
  return list && { ...list, items: list.items.map((u) => (u.id === user.id ? user : u)) };
}

export function listUsers(api: ApiClient, filter: UsersFilter, cursor: string | null = null): Promise<UserAdminList> {
  return api.request("GET", `${USERS}${usersQuery(filter, cursor)}`, undefined, UserAdminList);
}

/** Every active user (for "reassign to"): all pages. */
export async function activeUsers(api: ApiClient): Promise<UserAdminRead[]> {
  const out: UserAdminRead[] = [];
  let cursor: string | null = null;
  do {
    const page: UserAdminList = await api.request(
      "GET",
      `${USERS}${usersQuery({ q: "", state: "active" }, cursor, 100)}`,
      undefined,
      UserAdminList,
    );
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

/** Without a password the server mails an invitation (a link to choose one). */
export function createUser(api: ApiClient, body: UserCreate): Promise<UserCreated> {
  return api.request("POST", USERS, body, UserCreated);
}

export function setRoles(api: ApiClient, id: string, roles: string[]): Promise<UserAdminRead> {
  return api.request("PATCH", `${USERS}/${id}`, { roles }, UserAdminRead);
}

export function setActive(api: ApiClient, id: string, active: boolean): Promise<UserAdminRead> {
  return api.request("POST", `${USERS}/${id}/${active ? "reactivate" : "deactivate"}`, undefined, UserAdminRead);
}

/** Hand every lead, client and project the user owns (Trash included) to another user. */
export function reassignRecords(api: ApiClient, fromId: string, toId: string): Promise<ReassignResponse> {
  return api.request("POST", `${USERS}/${fromId}/reassign`, { to_user_id: toId }, ReassignResponse);
}
