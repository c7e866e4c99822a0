// The page of a lead, client or project: header, actions, the record's fields and its related
// records in tabs. On a phone the fields are the first tab; on a wide screen they sit beside
// the tabs.
import { type ReactNode, useState } from "react";
import { Link, useNavigate } from "react-router";
import { useWorkspace } from "../../app/AppProvider";
import { useMediaQuery } from "../../hooks/useMediaQuery";
import { listPath, recordPath, type TopEntity } from "../../records/paths";
import { RecordDetails } from "../../records/RecordDetails";
import type { RecordRow } from "../../store/types";
import { Button, buttonClass } from "../../ui/Button";
import { type TabItem, Tabs } from "../../ui/Tabs";
import { DetailHeader } from "./DetailHeader";

export function TrashButton({ entity, record }: { entity: TopEntity; record: RecordRow }) {
  const { engine } = useWorkspace();
  const navigate = useNavigate();
  if (record.deleted_at) {
    return (
      <Button variant="secondary" onClick={() => void engine.mutate({ entity, id: record.id, op: "restore" })}>
        Restore
      </Button>
    );
  }
  const trash = async () => {
    await engine.mutate({ entity, id: record.id, op: "delete" });
    navigate(listPath(entity));
  };
  return (
    <Button variant="danger" onClick={() => void trash()}>
      Move to Trash
    </Button>
  );
}

export function RecordPage({
  entity,
  record,
  status,
  subtitle,
  actions,
  notice,
  related,
}: {
  entity: TopEntity;
  record: RecordRow;
  status: ReactNode;
  subtitle?: ReactNode;
  /** buttons before Edit (Log, Convert…) */
  actions?: ReactNode;
  notice?: ReactNode;
  related: TabItem[];
}) {
  const wide = useMediaQuery("(min-width: 1024px)");
  const [tab, setTab] = useState(wide ? (related[0]?.id ?? "details") : "details");
  const details: TabItem = {
    id: "details",
    label: "Details",
    content: <RecordDetails entity={entity} record={record} />,
  };
  const items = wide ? related : [details, ...related];
  const current = items.some((i) => i.id === tab) ? tab : (items[0]?.id ?? "");

  return (
    <article className="space-y-4">
      <DetailHeader entity={entity} record={record} status={status} subtitle={subtitle} />
      {notice}
      <div className="flex flex-wrap gap-2">
        {actions}
        <Link to={`${recordPath(entity, record.id)}/edit`} className={buttonClass("secondary")}>
          Edit
        </Link>
        <TrashButton entity={entity} record={record} />
      </div>
      <div className={wide ? "grid grid-cols-2 items-start gap-6" : ""}>
        {wide && details.content}
        <Tabs label="Related records" items={items} value={current} onChange={setTab} />
      </div>
    </article>
  );
}
