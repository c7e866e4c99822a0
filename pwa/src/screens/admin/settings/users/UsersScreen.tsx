// Users and roles (admin): everyone in the company with roles, state and last sync; add or
// invite, set roles, deactivate (never delete) and reactivate, reassign a leaving user's records.
// Cards on a phone, a table from `sm` up.
import { useState } from "react";
import { useApp } from "../../../../app/AppProvider";
import type { UserAdminRead, UserCreated } from "../../../../contracts/zod";
import { useCRMConfig } from "../../../../hooks/useCRMConfig";
import { useDebounced } from "../../../../hooks/useDebounced";
import { useDesktop } from "../../../../hooks/useMediaQuery";
import { Badge } from "../../../../ui/Badge";
import { Button } from "../../../../ui/Button";
import { Input, Select } from "../../../../ui/Field";
import { relativeTime } from "../../../../ui/time";
import { errorText } from "../../shared/messages";
import { LoadStatus } from "../../shared/ServerStatus";
import { useServerData } from "../../shared/useServerData";
import type { Outcome } from "../shared/outcomes";
import { OutcomeReport, SettingsHeader } from "../shared/ui";
import { roleLabel } from "./roles";
import { UserCreateDialog } from "./UserCreateDialog";
import { DeactivateDialog, displayName, ReassignDialog, RolesDialog } from "./UserDialogs";
import { listUsers, replaceUser, setActive, type UserState, type UsersFilter } from "./usersApi";

type Open = { kind: "roles" | "deactivate" | "reassign"; user: UserAdminRead } | { kind: "create" } | null;

export function UsersScreen() {
  const { api, session } = useApp();
  const config = useCRMConfig();
  const desktop = useDesktop();
  const [q, setQ] = useState("");
  const [state, setState] = useState<UserState>("all");
  const settledQ = useDebounced(q, 300);
  const filter: UsersFilter = { q: settledQ, state };
  const users = useServerData(() => listUsers(api, filter), [api, filter.q, filter.state]);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [moved, setMoved] = useState<Outcome[] | null>(null);
  const [moreError, setMoreError] = useState<string | null>(null);

  const changed = (user: UserAdminRead, message: string) => {
    users.update((list) => replaceUser(list, user));
    setOpen(null);
    setMoved(null);
    setNotice(message);
  };
  const created = (user: UserCreated) => {
    setOpen(null);
    setMoved(null);
    setNotice(
      user.invited
        ? `Invited ${user.email}: they get an email with a link to choose their password.`
        : `Added ${user.email}: they can sign in now.`,
    );
    users.reload();
  };
  const reactivate = async (user: UserAdminRead) => {
    try {
      changed(await setActive(api, user.id, true), `${displayName(user)} is active again and can sign in.`);
    } catch (err) {
      setNotice(errorText(err));
    }
  };
  const loadMore = async () => {
    const cursor = users.data?.next_cursor;
    if (!cursor) return;
    setMoreError(null);
    try {
      const page = await listUsers(api, filter, cursor);
      users.update((list) => list && { ...page, total: list.total, items: [...list.items, ...page.items] });
    } catch (err) {
      setMoreError(errorText(err));
    }
  };

  const list = users.data?.items ?? [];
  const me = session?.user.id;
  const actions = (user: UserAdminRead) => (
    <div className="flex flex-wrap gap-1.5">
      <Button variant="secondary" className="px-2.5 py-1.5" onClick={() => setOpen({ kind: "roles", user })}>
        Roles
      </Button>
      {user.is_active ? (
        <Button
          variant="danger"
          className="px-2.5 py-1.5"
          disabled={user.id === me}
          title={user.id === me ? "You cannot deactivate yourself" : undefined}
          onClick={() => setOpen({ kind: "deactivate", user })}
        >
          Deactivate
        </Button>
      ) : (
        <Button variant="secondary" className="px-2.5 py-1.5" onClick={() => void reactivate(user)}>
          Reactivate
        </Button>
      )}
      <Button variant="ghost" className="px-2.5 py-1.5" onClick={() => setOpen({ kind: "reassign", user })}>
        Reassign records
      </Button>
    </div>
  );
  const badges = (user: UserAdminRead) => (
    <span className="flex flex-wrap gap-1">
      {user.roles.map((r) => (
        <Badge key={r} tone={r === "admin" ? "brand" : "slate"}>
          {roleLabel(r)}
        </Badge>
      ))}
      {!user.is_active && <Badge tone="red">Deactivated</Badge>}
    </span>
  );
  const lastSync = (user: UserAdminRead) => (
    <span title={user.last_sync_at ? config.dateTime(user.last_sync_at) : undefined}>
      {user.last_sync_at ? `Synced ${relativeTime(user.last_sync_at)}` : "Never synced"}
      {user.devices > 0 && ` · ${user.devices} device${user.devices === 1 ? "" : "s"}`}
    </span>
  );

  return (
    <section aria-labelledby="users-title" className="space-y-4">
      <SettingsHeader
        id="users-title"
        title="Users and roles"
        intro="Add or invite people, set what they may do, and cut off someone who leaves. Nobody is ever deleted."
        actions={
          <Button onClick={() => setOpen({ kind: "create" })} disabled={!users.online}>
            Add user
          </Button>
        }
      />
      <div className="flex flex-wrap gap-2">
        <Input
          type="search"
          aria-label="Search users"
          placeholder="Search name or email"
          maxLength={200}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          className="max-w-xs"
        />
        <div className="w-40">
          <Select aria-label="Show" value={state} onChange={(e) => setState(e.target.value as UserState)}>
            <option value="all">Everyone</option>
            <option value="active">Active</option>
            <option value="inactive">Deactivated</option>
          </Select>
        </div>
      </div>
      <LoadStatus state={users} what="Managing users" />
      <div aria-live="polite" data-testid="users-notice">
        {notice && <p className="rounded-lg bg-slate-100 p-3 text-sm text-slate-800">{notice}</p>}
      </div>
      <OutcomeReport outcomes={moved} verb="Moved" testId="reassign-result" />
      {users.data && list.length === 0 && <p className="text-sm text-slate-500">No users match.</p>}
      {list.length > 0 &&
        (desktop ? (
          <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200">
            <table aria-label="Users" data-testid="users-list" className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Name
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Roles
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Last seen
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((user) => (
                  <tr key={user.id} data-email={user.email} className="border-t border-slate-100 align-top">
                    <td className="px-4 py-3">
                      <span className="block font-medium text-slate-900">{displayName(user)}</span>
                      <span className="block text-xs text-slate-500">{user.email}</span>
                    </td>
                    <td className="px-4 py-3">{badges(user)}</td>
                    <td className="px-4 py-3 text-slate-600">{lastSync(user)}</td>
                    <td className="px-4 py-3">{actions(user)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <ul aria-label="Users" data-testid="users-list" className="space-y-2">
            {list.map((user) => (
              <li
                key={user.id}
                data-email={user.email}
                className="space-y-2 rounded-xl bg-white p-3 ring-1 ring-slate-200"
              >
                <div>
                  <span className="block font-medium text-slate-900">{displayName(user)}</span>
                  <span className="block truncate text-xs text-slate-500">{user.email}</span>
                </div>
                {badges(user)}
                <p className="text-xs text-slate-500">{lastSync(user)}</p>
                {actions(user)}
              </li>
            ))}
          </ul>
        ))}
      {users.data && (
        <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
          <span>
            {list.length} of {users.data.total ?? list.length}
          </span>
          {users.data.next_cursor && (
            <Button variant="secondary" onClick={() => void loadMore()}>
              Show more
            </Button>
          )}
          {moreError && <span role="alert">{moreError}</span>}
        </div>
      )}
      <UserCreateDialog open={open?.kind === "create"} onClose={() => setOpen(null)} onCreated={created} />
      {open?.kind === "roles" && <RolesDialog user={open.user} onClose={() => setOpen(null)} onDone={changed} />}
      {open?.kind === "deactivate" && (
        <DeactivateDialog user={open.user} onClose={() => setOpen(null)} onDone={changed} />
      )}
      {open?.kind === "reassign" && (
        <ReassignDialog
          user={open.user}
          onClose={() => setOpen(null)}
          onDone={(outcomes, to) => {
            setOpen(null);
            setMoved(outcomes.length ? outcomes : null);
            setNotice(
              outcomes.length
                ? `${displayName(open.user)}'s records went to ${displayName(to)}.`
                : `${displayName(open.user)} owns no ${config.noun("lead", true).toLowerCase()}, ${config.noun("client", true).toLowerCase()} or ${config.noun("project", true).toLowerCase()}: nothing to move.`,
            );
          }}
        />
      )}
    </section>
  );
}
