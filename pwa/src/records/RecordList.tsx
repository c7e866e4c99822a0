// A long list of records, virtualised (only the rows on screen exist): cards on a phone, a table
// from `sm` up. Each row's title is a link; the whole row is clickable with a pointer.
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, type ReactNode, useEffect, useRef } from "react";
import { Link, useNavigate } from "react-router";
import { useDesktop } from "../hooks/useMediaQuery";
import type { RecordRow } from "../store/types";

export interface Column {
  key: string;
  header: string;
  render(row: RecordRow): ReactNode;
  /** CSS grid width of the column on the table */
  width?: string;
}

export interface RecordListProps {
  rows: RecordRow[];
  label: string;
  testId: string;
  href(row: RecordRow): string;
  title(row: RecordRow): string;
  /** the line under the title on a phone card */
  subtitle(row: RecordRow): string;
  /** the table's other columns */
  columns: Column[];
  badges(row: RecordRow): ReactNode;
  empty: ReactNode;
  /** called once the first rows are on screen (the perf script's "usable" mark) */
  onFirstRows?: () => void;
}

export const RecordList = memo(function RecordList(props: RecordListProps) {
  const { rows, columns } = props;
  const desktop = useDesktop();
  const navigate = useNavigate();
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => (desktop ? 48 : 72),
    overscan: 8,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the row height changes with the layout
  useEffect(() => virtual.measure(), [desktop]);
  const marked = useRef(false);
  useEffect(() => {
    if (rows.length > 0 && !marked.current) {
      marked.current = true;
      props.onFirstRows?.();
    }
  });
  const grid = `minmax(0,2fr) ${columns.map((c) => c.width ?? "minmax(0,1fr)").join(" ")} auto`;
  const items = virtual.getVirtualItems();
  const place = (start: number, size: number) => ({ height: size, transform: `translateY(${start}px)` });
  // A click anywhere on a row opens it; the title link stays the keyboard (and middle-click) path.
  const openRow = (row: RecordRow) => (e: React.MouseEvent) => {
    if (!(e.target as HTMLElement).closest("a,button")) navigate(props.href(row));
  };
  const title = (row: RecordRow) => (
    <Link to={props.href(row)} className="block truncate font-medium text-slate-900 hover:underline">
      {props.title(row) || "—"}
    </Link>
  );

  return (
    <div
      ref={scroller}
      data-testid={props.testId}
      className="min-h-0 flex-1 overflow-auto rounded-xl bg-white ring-1 ring-slate-200"
    >
      {rows.length === 0 && <p className="p-6 text-center text-sm text-slate-500">{props.empty}</p>}
      {desktop ? (
        <table aria-label={props.label} aria-rowcount={rows.length + 1} className="block w-full text-left">
          <thead className="sticky top-0 z-[1] block bg-slate-50">
            <tr
              className="grid gap-3 border-b border-slate-200 px-4 py-2 text-xs font-medium uppercase tracking-wide text-slate-500"
              style={{ gridTemplateColumns: grid }}
            >
              <th scope="col">Name</th>
              {columns.map((c) => (
                <th key={c.key} scope="col">
                  {c.header}
                </th>
              ))}
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody className="relative block" style={{ height: virtual.getTotalSize() }}>
            {items.map((item) => {
              const row = rows[item.index] as RecordRow;
              return (
                <tr
                  key={row.id}
                  aria-rowindex={item.index + 2}
                  onClick={openRow(row)}
                  className="absolute inset-x-0 grid cursor-pointer items-center gap-3 border-b border-slate-100 px-4 hover:bg-slate-50"
                  style={{ ...place(item.start, item.size), gridTemplateColumns: grid }}
                >
                  <td className="min-w-0">{title(row)}</td>
                  {columns.map((c) => (
                    <td key={c.key} className="truncate text-sm text-slate-600">
                      {c.render(row)}
                    </td>
                  ))}
                  <td className="flex flex-wrap items-center justify-end gap-1">{props.badges(row)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <ul aria-label={props.label} className="relative" style={{ height: virtual.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index] as RecordRow;
            return (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the title link is the keyboard path
              <li
                key={row.id}
                onClick={openRow(row)}
                className="absolute inset-x-0 flex cursor-pointer items-center gap-3 border-b border-slate-100 px-4 hover:bg-slate-50"
                style={place(item.start, item.size)}
              >
                <div className="min-w-0 flex-1">
                  {title(row)}
                  <p className="truncate text-xs text-slate-500">{props.subtitle(row) || "—"}</p>
                </div>
                <div className="flex shrink-0 flex-col items-end gap-1">{props.badges(row)}</div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
});
