// The actions on one user: set roles, deactivate (after saying what it does), reassign their
// records. Each calls the server and reports its answer in words; nothing here is offline.
import { useState } from "react";
import { useApp } from "../../../../app/AppProvider";
import { type ReassignResponse, type UserAdminRead, UserUpdate } from "../../../../contracts/zod";
import { Button } from "../../../../ui/Button";
import { Dialog } from "../../../../ui/Dialog";
import { Field, Select } from "../../../../ui/Field";
import { LoadStatus } from "../../shared/ServerStatus";
import { useServerData } from "../../shared/useServerData";
import { useSubmit } from "../../shared/useSubmit";
import { type Outcome, outcomeOf } from "../shared/outcomes";
import { FormError } from "../shared/ui";
import { RoleChecks } from "./RoleChecks";
import { sameRoles } from "./roles";
import { activeUsers, reassignRecords, setActive, setRoles } from "./usersApi";

export const displayName = (user: Pick<UserAdminRead, "name" | "email">): string => user.name || user.email;

interface UserDialogProps {
  user: UserAdminRead;
  onClose(): void;
  onDone(user: UserAdminRead, message: string): void;
}

export function RolesDialog({ user, onClose, onDone }: UserDialogProps) {
  const { api } = useApp();
  const [roles, setRolesValue] = useState<string[]>(user.roles);
  const { busy, error, setError, run } = useSubmit();

  const save = async () => {
    const parsed = UserUpdate.safeParse({ roles });
    if (!parsed.success) {
      setError("Choose at least one role.");
      return;
    }
    await run(async () => {
      const saved = await setRoles(api, user.id, roles);
      onDone(saved, `${displayName(saved)} now has: ${saved.roles.join(", ")}.`);
    });
  };

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Roles of ${displayName(user)}`}
      description="Roles take effect on their next request; their devices pick them up on the next sync."
    >
      <div className="space-y-4">
        <FormError message={error ?? undefined} />
        <RoleChecks value={roles} onChange={setRolesValue} />
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => void save()} disabled={busy || sameRoles(roles, user.roles)}>
            Save roles
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

export function DeactivateDialog({ user, onClose, onDone }: UserDialogProps) {
  const { api } = useApp();
  const { busy, error, run } = useSubmit();
  const name = displayName(user);

  const deactivate = () =>
    run(async () => {
      const saved = await setActive(api, user.id, false);
      onDone(saved, `${name} is deactivated: signed out everywhere.`);
    });

  return (
    <Dialog open onClose={onClose} title={`Deactivate ${name}?`}>
      <div className="space-y-3 text-sm text-slate-700" data-testid="deactivate-explained">
        <p>
          {name} is cut off at once: every sign-in token of theirs stops working and each of their devices is refused on
          its next sync. They cannot sign in again.
        </p>
        <p>
          Nothing is deleted. Their records stay where they are (hand them to someone else with “Reassign records”), and
          changes their devices have not synced yet wait on those devices: they reach the server only if you reactivate{" "}
          {name}.
        </p>
        <FormError message={error ?? undefined} />
        <div className="flex flex-wrap gap-2">
          <Button variant="danger" onClick={() => void deactivate()} disabled={busy}>
            Deactivate {name}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

/** Every lead, client and project the user owns goes to another active user, each through the
 * write path (so devices get it by sync); the answer has a result per record. */
export function ReassignDialog({
  user,
  onClose,
  onDone,
}: {
  user: UserAdminRead;
  onClose(): void;
  onDone(outcomes: Outcome[], to: UserAdminRead): void;
}) {
  const { api } = useApp();
  const targets = useServerData(() => activeUsers(api), [api]);
  const choices = (targets.data ?? []).filter((u) => u.id !== user.id);
  const [to, setTo] = useState("");
  const { busy, error, setError, run } = useSubmit();
  const name = displayName(user);

  const reassign = async () => {
    const target = choices.find((u) => u.id === to);
    if (!target) {
      setError("Choose who receives the records.");
      return;
    }
    await run(async () => {
      const response: ReassignResponse = await reassignRecords(api, user.id, target.id);
      onDone(
        response.results.map((r) => outcomeOf(r)),
        target,
      );
    });
  };

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Reassign ${name}'s records`}
      description={`Every lead, client and project assigned to ${name} (or created by them and assigned to no one), Trash included, goes to the person you choose. Their devices and the new owner's get the change by sync.`}
    >
      <div className="space-y-4">
        <LoadStatus state={targets} what="Reassigning" />
        <FormError message={error ?? undefined} />
        <Field id="reassign-to" label="Give them to">
          <Select id="reassign-to" value={to} onChange={(e) => setTo(e.target.value)} disabled={!targets.data}>
            <option value="">Choose an active user…</option>
            {choices.map((u) => (
              <option key={u.id} value={u.id}>
                {displayName(u)} ({u.email})
              </option>
            ))}
          </Select>
        </Field>
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => void reassign()} disabled={busy || !to}>
            {busy ? "Moving…" : "Move their records"}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
