// The full-page form of a lead, client or project (new or edit). `?fix=<key>` reopens a change
// the server refused.
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useWorkspace } from "../app/AppProvider";
import { useCRMConfig } from "../hooks/useCRMConfig";
import { useLive } from "../hooks/useLive";
import { listPath, recordPath, type TopEntity, titleOf } from "./paths";
import { RecordForm } from "./RecordForm";

export function RecordFormScreen({ entity, mode }: { entity: TopEntity; mode: "create" | "edit" }) {
  const { id: routeId } = useParams();
  const [params] = useSearchParams();
  const fixKey = params.get("fix");
  const { store } = useWorkspace();
  const config = useCRMConfig();
  const navigate = useNavigate();
  // undefined while reading, null when absent: the form starts only from what is stored.
  const record = useLive(store, async (s) => (routeId ? ((await s.get(entity, routeId)) ?? null) : null), [
    entity,
    routeId,
  ]);
  const fix = useLive(
    store,
    async (s) => (fixKey ? ((await s.rejected()).find((r) => r.key === fixKey) ?? null) : null),
    [fixKey],
  );
  if (record === undefined || fix === undefined) return <p className="text-sm text-slate-500">Loading…</p>;
  const noun = config.noun(entity).toLowerCase();
  const back = record ? recordPath(entity, record.id) : listPath(entity);
  const defaults = Object.fromEntries([...params.entries()].filter(([k]) => k.endsWith("_id")));

  return (
    <section className="space-y-3">
      <Link to={back} className="text-sm text-slate-500 hover:underline">
        ← Back
      </Link>
      <h1 className="text-lg font-semibold">
        {mode === "create" ? `New ${noun}` : `Edit ${titleOf(entity, record ?? undefined) || noun}`}
      </h1>
      <div className="rounded-xl bg-white p-4 ring-1 ring-slate-200">
        <RecordForm
          entity={entity}
          record={mode === "edit" ? (record ?? undefined) : undefined}
          fix={fix ?? undefined}
          label={mode === "create" ? `New ${noun}` : `Edit ${noun}`}
          submitLabel={mode === "create" ? `Create ${noun}` : "Save"}
          defaults={mode === "create" ? defaults : undefined}
          fixed={mode === "create" ? defaults : undefined}
          onSaved={(id) => navigate(recordPath(entity, id), { replace: true })}
          onCancel={() => navigate(-1)}
        />
      </div>
    </section>
  );
}
