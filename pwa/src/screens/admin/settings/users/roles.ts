// The roles a user can have: the contract's closed list (admin, user and capability roles),
// read from the generated schema so a new role on the server shows up here by regeneration.

import { humanize } from "../../../../config/tenantConfig";
import { UserCreate } from "../../../../contracts/zod";

export const ROLES: readonly string[] = UserCreate.shape.roles.unwrap().element.options;

const ABOUT: Record<string, { label: string; blurb: string }> = {
  admin: { label: "Admin", blurb: "Everything in the company: admin pages, users, configuration, Trash, all reports." },
  user: { label: "User", blurb: "Works in the CRM: the records they created or are assigned." },
  file_uploads: { label: "File uploads", blurb: "May attach files to records." },
};

export const roleLabel = (role: string): string => ABOUT[role]?.label ?? humanize(role);
export const roleBlurb = (role: string): string => ABOUT[role]?.blurb ?? "";

/** Roles in the contract's order, a role added or removed. */
export function withRole(roles: readonly string[], role: string, on: boolean): string[] {
  const set = new Set(roles);
  if (on) set.add(role);
  else set.delete(role);
  return ROLES.filter((r) => set.has(r)).concat([...set].filter((r) => !ROLES.includes(r)));
}

export const sameRoles = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((r) => b.includes(r));
