// Each conflicting field side by side: the base (what the device started from, when known), the
// server's value, the device's value and what is live now. In an auto-resolved conflict the
// server's value lost and each one can be restored.
import type { ConflictDetail } from "../../../contracts/zod";
import type { CRMConfig } from "../../../hooks/useCRMConfig";
import { useDesktop } from "../../../hooks/useMediaQuery";
import type { Names } from "../../../records/display";
import { Badge } from "../../../ui/Badge";
import { Button } from "../../../ui/Button";
import { changedSince, type FieldRow, type Side, showValue, sideNotes } from "./diff";

export interface ComparisonProps {
  detail: ConflictDetail;
  rows: FieldRow[];
  config: CRMConfig;
  names: Names;
  /** "Restore this value" of an auto-resolved field; absent when nothing can be restored */
  onRestore?: (field: string) => void;
  busy: boolean;
}

const SIDES: { side: Side; label: string }[] = [
  { side: "server", label: "Server" },
  { side: "client", label: "Device" },
];

function Value({ row, value, props }: { row: FieldRow; value: unknown; props: ComparisonProps }) {
  return <span className="break-words">{showValue(row, value, props.config, props.names)}</span>;
}

function Base({ row, props }: { row: FieldRow; props: ComparisonProps }) {
  return row.view.base === null || row.view.base === undefined ? (
    <span className="text-slate-400" title="The device does not say what it started from">
      Not known
    </span>
  ) : (
    <Value row={row} value={row.view.base} props={props} />
  );
}

function Now({ row, props }: { row: FieldRow; props: ComparisonProps }) {
  const { detail } = props;
  if (!detail.record.exists) return <span className="text-slate-500">Record deleted for good</span>;
  return (
    <span className="space-x-1">
      <Value row={row} value={row.view.current} props={props} />
      {changedSince(row, detail.status, detail.record.exists) && <Badge tone="amber">Changed since</Badge>}
    </span>
  );
}

function Restore({ row, props }: { row: FieldRow; props: ComparisonProps }) {
  if (!props.onRestore) return null;
  const restore = props.onRestore;
  return (
    <Button
      variant="secondary"
      className="mt-1 px-2 py-1 text-xs"
      disabled={props.busy}
      onClick={() => restore(row.name)}
      aria-label={`Restore this value of ${row.label.toLowerCase()}`}
    >
      Restore this value
    </Button>
  );
}

export function FieldComparison(props: ComparisonProps) {
  const desktop = useDesktop();
  const notes = sideNotes(props.detail.status, props.detail.resolution);
  const sideHead = (side: Side, label: string) => (
    <>
      {label}
      {notes[side] && <span className="block text-[11px] font-normal normal-case text-slate-500">{notes[side]}</span>}
    </>
  );

  if (desktop) {
    return (
      <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200">
        <table className="w-full text-left text-sm" aria-label="Conflicting fields" data-testid="conflict-fields">
          <thead className="bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2">
                Field
              </th>
              <th scope="col" className="px-3 py-2">
                Before
              </th>
              {SIDES.map(({ side, label }) => (
                <th key={side} scope="col" className="px-3 py-2">
                  {sideHead(side, label)}
                </th>
              ))}
              <th scope="col" className="px-3 py-2">
                Now
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {props.rows.map((row) => (
              <tr key={row.name} className="align-top" data-field={row.name}>
                <th scope="row" className="px-3 py-2 font-medium text-slate-700">
                  {row.label}
                </th>
                <td className="px-3 py-2 text-slate-600">
                  <Base row={row} props={props} />
                </td>
                <td className="px-3 py-2" data-side="server">
                  <Value row={row} value={row.view.server} props={props} />
                  <Restore row={row} props={props} />
                </td>
                <td className="px-3 py-2" data-side="client">
                  <Value row={row} value={row.view.client} props={props} />
                </td>
                <td className="px-3 py-2" data-side="current">
                  <Now row={row} props={props} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  return (
    <ul className="space-y-2" aria-label="Conflicting fields" data-testid="conflict-fields">
      {props.rows.map((row) => (
        <li key={row.name} className="rounded-xl bg-white p-3 ring-1 ring-slate-200" data-field={row.name}>
          <p className="mb-2 font-medium text-slate-800">{row.label}</p>
          <dl className="grid grid-cols-[6.5rem_1fr] gap-x-3 gap-y-1.5 text-sm">
            {SIDES.map(({ side, label }) => (
              <div key={side} className="contents" data-side={side}>
                <dt className="text-slate-500">{sideHead(side, label)}</dt>
                <dd>
                  <Value row={row} value={row.view[side]} props={props} />
                  {side === "server" && <Restore row={row} props={props} />}
                </dd>
              </div>
            ))}
            <dt className="text-slate-500">Before</dt>
            <dd className="text-slate-600">
              <Base row={row} props={props} />
            </dd>
            <dt className="text-slate-500">Now</dt>
            <dd data-side="current">
              <Now row={row} props={props} />
            </dd>
          </dl>
        </li>
      ))}
    </ul>
  );
}
