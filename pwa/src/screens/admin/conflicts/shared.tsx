// What the conflict screens share: the names of users and clients on this device, and a
// conflict's status as a badge (loading, errors and the offline notice: ../shared).
import { useMemo } from "react";
import { useWorkspace } from "../../../app/AppProvider";
import { useLive } from "../../../hooks/useLive";
import type { Names } from "../../../records/display";
import type { UserRow } from "../../../store/types";
import { Badge } from "../../../ui/Badge";
import { STATUS_LABELS, STATUS_TONES } from "./labels";
import type { ConflictStatus } from "./query";

/** The users and clients this device knows, by id, for names instead of ids. */
export function useNames(): Names & { userList: UserRow[] } {
  const { store } = useWorkspace();
  const users = useLive(store, (s) => s.users(), [], ["users"]);
  const clients = useLive(store, (s) => s.list("client"), [], ["records"]);
  return useMemo(() => {
    const userList = [...(users ?? [])].sort((a, b) => (a.name || a.email).localeCompare(b.name || b.email));
    return {
      userList,
      users: new Map(userList.map((u) => [u.id, u.name || u.email])),
      clients: new Map((clients ?? []).map((c) => [c.id, String(c.name ?? "")])),
    };
  }, [users, clients]);
}

export function StatusBadge({ status }: { status: ConflictStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}
