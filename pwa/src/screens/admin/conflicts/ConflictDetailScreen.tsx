// One conflict: which record, who edited it on which device, when (on the device, and when it
// reached the server), each field side by side, and the decision — keep the server's values,
// take the device's, or choose field by field; for an auto-resolved conflict, restore a losing
// value. A resolution is a write on the server that reaches every device by sync.
import { useMemo, useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import { HttpError } from "../../../api/http";
import { useApp, useWorkspace } from "../../../app/AppProvider";
import type { ConflictDetail, ErrorBody, ResolveRequest } from "../../../contracts/zod";
import { useCRMConfig } from "../../../hooks/useCRMConfig";
import { useLive } from "../../../hooks/useLive";
import { pagePath } from "../../../records/paths";
import { isRecordEntity } from "../../../sync/entities";
import { Badge } from "../../../ui/Badge";
import { Button } from "../../../ui/Button";
import { relativeTime } from "../../../ui/time";
import { errorText } from "../shared/messages";
import { LoadError, NeedsConnection } from "../shared/ServerStatus";
import { useServerData } from "../shared/useServerData";
import { getConflict, resolveConflict } from "./api";
import { CustomResolution } from "./CustomResolution";
import { canCustomize, choiceText, fieldRows, restoreRequest } from "./diff";
import { FieldComparison } from "./FieldComparison";
import { deviceLabel, KIND_LABELS, personLabel, resolutionText, shortId } from "./labels";
import { StatusBadge, useNames } from "./shared";

export default function ConflictDetailScreen() {
  const { id = "" } = useParams();
  const { api } = useApp();
  const location = useLocation();
  const remote = useServerData(() => getConflict(api, id), [id], { clearOnChange: true });
  const search = (location.state as { search?: unknown } | null)?.search;
  const back = `/admin/conflicts${typeof search === "string" ? search : ""}`;

  return (
    <section aria-labelledby="conflict-title" className="space-y-4">
      <Link to={back} className="text-sm text-slate-500 hover:underline">
        ← Conflicts
      </Link>
      {!remote.online ? (
        <>
          <h1 id="conflict-title" className="text-xl font-semibold">
            Conflict
          </h1>
          <NeedsConnection what="Conflict review" />
        </>
      ) : remote.data ? (
        <ConflictView detail={remote.data} onChange={(d) => remote.update(() => d)} onStale={remote.reload} />
      ) : remote.error !== undefined && !remote.loading ? (
        <>
          <h1 id="conflict-title" className="text-xl font-semibold">
            Conflict
          </h1>
          <LoadError error={remote.error} onRetry={remote.reload} />
        </>
      ) : (
        <p className="text-sm text-slate-500" aria-live="polite">
          Loading…
        </p>
      )}
    </section>
  );
}

function ConflictView({
  detail,
  onChange,
  onStale,
}: {
  detail: ConflictDetail;
  onChange(detail: ConflictDetail): void;
  onStale(): void;
}) {
  const { api } = useApp();
  const { store } = useWorkspace();
  const config = useCRMConfig();
  const names = useNames();
  const rows = useMemo(() => fieldRows(detail), [detail]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const entity = isRecordEntity(detail.entity) ? detail.entity : null;
  const noun = entity ? config.noun(entity) : detail.entity;
  const local = useLive(
    store,
    async (s) => (entity ? s.get(entity, detail.record_id) : undefined),
    [entity, detail.record_id],
    ["records"],
  );
  const recordHref = entity && local ? pagePath(entity, local) : null;
  const title = detail.record.title ?? `${noun} ${shortId(detail.record_id)}`;
  const open = detail.status !== "resolved";
  // What each choice does for this conflict, in the server's words.
  const choices = Object.fromEntries(
    Object.entries(detail.choices).flatMap(([k, v]) => (typeof v === "string" ? [[k, choiceText(v, rows)]] : [])),
  );

  /** Resolve; a validation refusal goes back to the form, any other error is shown here. */
  const resolve = async (body: ResolveRequest): Promise<ErrorBody | null> => {
    setBusy(true);
    setMessage(null);
    try {
      const after = await resolveConflict(api, detail.id, body);
      onChange(after);
      setMessage({ tone: "ok", text: `${resolutionText(after.resolution)} Devices get it when they next sync.` });
      return null;
    } catch (err) {
      if (err instanceof HttpError && err.status === 422) {
        setMessage({ tone: "error", text: err.message });
        return err.body;
      }
      if (err instanceof HttpError && err.status === 409) onStale(); // resolved meanwhile, or the record changed
      setMessage({ tone: "error", text: errorText(err) });
      return null;
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <header className="space-y-1">
        <div className="flex flex-wrap items-start gap-2">
          <h1 id="conflict-title" className="mr-auto break-words text-xl font-semibold" data-testid="conflict-title">
            {title}
          </h1>
          <StatusBadge status={detail.status} />
        </div>
        <p className="text-sm text-slate-600">
          {noun} · {KIND_LABELS[detail.kind] ?? detail.kind}
          {detail.record.deleted_at && (
            <>
              {" "}
              · <Badge tone="red">In Trash</Badge>
            </>
          )}
          {!detail.record.exists && " · deleted for good"}
          {recordHref && (
            <>
              {" "}
              ·{" "}
              <Link to={recordHref} className="text-brand-700 underline">
                Open the {noun.toLowerCase()}
              </Link>
            </>
          )}
        </p>
      </header>

      <dl
        className="grid gap-x-6 gap-y-3 rounded-xl bg-white p-4 text-sm ring-1 ring-slate-200 sm:grid-cols-2"
        data-testid="conflict-meta"
      >
        <div>
          <dt className="text-slate-500">Edited by</dt>
          <dd className="font-medium">
            {personLabel(detail.user)}
            {detail.user?.email && detail.user.name && (
              <span className="block text-xs font-normal text-slate-500">{detail.user.email}</span>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">On the device</dt>
          <dd className="font-medium">
            {detail.device ? deviceLabel(detail.device.user_agent, detail.device.client_id) : "Not known"}
            {detail.device && (
              <Link
                to={`/admin/conflicts?status=all&device=${detail.device.client_id}`}
                className="block text-xs font-normal text-brand-700 underline"
              >
                This device's conflicts
              </Link>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Edited on the device</dt>
          <dd>
            {detail.edited_at ? (
              <>
                {config.dateTime(detail.edited_at)}{" "}
                <span className="text-xs text-slate-500">(the device's clock, maybe offline)</span>
              </>
            ) : (
              "Not known"
            )}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Reached the server</dt>
          <dd>
            {config.dateTime(detail.pushed_at)}{" "}
            <span className="text-xs text-slate-500">({relativeTime(detail.pushed_at)})</span>
          </dd>
        </div>
        {detail.status === "resolved" && (
          <div className="sm:col-span-2" data-testid="conflict-resolution">
            <dt className="text-slate-500">Decision</dt>
            <dd>
              {resolutionText(detail.resolution)}{" "}
              <span className="text-slate-500">
                {detail.resolved_by ? `By ${names.users.get(detail.resolved_by) ?? "an administrator"}, ` : ""}
                {config.dateTime(detail.resolved_at)}.
              </span>
            </dd>
          </div>
        )}
      </dl>

      <FieldComparison
        detail={detail}
        rows={rows}
        config={config}
        names={names}
        busy={busy}
        onRestore={
          detail.status === "auto_resolved" && detail.record.exists
            ? (field) => void resolve(restoreRequest(rows, field))
            : undefined
        }
      />

      <div aria-live="polite" data-testid="resolve-message">
        {message && (
          <p
            role={message.tone === "error" ? "alert" : undefined}
            className={`text-sm ${message.tone === "error" ? "text-red-700" : "text-green-700"}`}
          >
            {message.text}
          </p>
        )}
      </div>

      {open && (
        <section aria-labelledby="decide-title" className="space-y-3">
          <h2 id="decide-title" className="text-base font-semibold">
            Decide
          </h2>
          <div className="grid gap-3 sm:grid-cols-2">
            {detail.status === "open" ? (
              <>
                <Choice
                  label="Keep server"
                  text={choices.server}
                  busy={busy}
                  onClick={() => void resolve({ choice: "server" })}
                />
                <Choice
                  label="Take device's"
                  text={choices.client}
                  busy={busy}
                  onClick={() => void resolve({ choice: "client" })}
                />
              </>
            ) : (
              <>
                <Choice
                  label="Keep device's"
                  text={choices.client}
                  busy={busy}
                  onClick={() => void resolve({ choice: "client" })}
                />
                {rows.length > 1 && (
                  <Choice
                    label="Restore all losing values"
                    text={choices.server}
                    busy={busy}
                    onClick={() => void resolve({ choice: "server" })}
                  />
                )}
              </>
            )}
          </div>
          {entity && canCustomize(detail, rows) && (
            <details className="group" open={detail.status === "open" && rows.length > 1}>
              <summary className="cursor-pointer text-sm font-medium text-brand-700">
                Choose per field, or type a value
              </summary>
              <div className="pt-3">
                <CustomResolution
                  key={detail.id}
                  detail={detail}
                  entity={entity}
                  rows={rows}
                  config={config}
                  names={names}
                  users={names.userList}
                  busy={busy}
                  onSubmit={resolve}
                />
              </div>
            </details>
          )}
        </section>
      )}
    </>
  );
}

function Choice({ label, text, busy, onClick }: { label: string; text?: string; busy: boolean; onClick(): void }) {
  return (
    <div className="flex flex-col gap-2 rounded-xl bg-white p-3 ring-1 ring-slate-200">
      <Button variant="secondary" disabled={busy} onClick={onClick}>
        {label}
      </Button>
      {text && <p className="text-xs text-slate-600">{text}</p>}
    </div>
  );
}
