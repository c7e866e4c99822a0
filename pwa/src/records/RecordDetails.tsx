// The fields of a record as a definition list, in the entity's field order.
import { useWorkspace } from "../app/AppProvider";
import { useCRMConfig } from "../hooks/useCRMConfig";
import { useLive } from "../hooks/useLive";
import type { RecordRow } from "../store/types";
import type { RecordEntity } from "../sync/entities";
import { displayValue } from "./display";
import { fieldsOf } from "./fields";

export function useNames() {
  const { store } = useWorkspace();
  const users = useLive(store, (s) => s.users(), [], ["users"]);
  const clients = useLive(store, (s) => s.list("client"), [], ["records"]);
  return {
    users: new Map((users ?? []).map((u) => [u.id, u.name || u.email])),
    clients: new Map((clients ?? []).map((c) => [c.id, String(c.name ?? "")])),
  };
}

export function RecordDetails({
  entity,
  record,
  skip = ["name"],
}: {
  entity: RecordEntity;
  record: RecordRow;
  skip?: readonly string[];
}) {
  const config = useCRMConfig();
  const names = useNames();
  // Only what is filled in: a phone screen of dashes helps nobody (Edit shows every field).
  const filled = fieldsOf(entity).filter((spec) => {
    const v = record[spec.name];
    return !skip.includes(spec.name) && v !== null && v !== undefined && v !== "" && v !== false;
  });
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded-xl bg-white p-4 ring-1 ring-slate-200 sm:grid-cols-2">
      {filled.length === 0 && <p className="text-sm text-slate-500">No details yet.</p>}
      {filled.map((spec) => (
        <div key={spec.name} className={spec.wide ? "sm:col-span-2" : ""}>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{spec.label}</dt>
          <dd className="whitespace-pre-wrap text-sm" data-field={spec.name}>
            {displayValue(spec, record[spec.name], config, names)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
