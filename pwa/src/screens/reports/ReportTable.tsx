// The numbers of a report as a table: the accessible alternative to its charts and the whole
// list for list reports. A real <table> on a desktop (and on a phone when it has few columns);
// otherwise a card per row on a phone, each with its label/value pairs.
import { Link } from "react-router";
import { useDesktop } from "../../hooks/useMediaQuery";
import type { ViewCell, ViewColumn, ViewRow } from "./viewModel";

/** Columns a phone still shows as a table. */
const PHONE_TABLE_COLUMNS = 4;

function CellContent({ cell }: { cell: ViewCell }) {
  if (!cell.href) return <>{cell.text}</>;
  return (
    <Link to={cell.href} className="text-brand-700 underline-offset-2 hover:underline">
      {cell.text}
    </Link>
  );
}

export function ReportTable({
  id,
  caption,
  columns,
  rows,
}: {
  id: string;
  caption: string;
  columns: ViewColumn[];
  rows: ViewRow[];
}) {
  const desktop = useDesktop();
  if (!desktop && columns.length > PHONE_TABLE_COLUMNS) {
    const rest = columns.slice(1);
    return (
      <section id={id} aria-label={caption} data-testid="report-table">
        <h2 className="mb-2 text-sm font-medium text-slate-800">{caption}</h2>
        <ul className="space-y-2">
          {rows.map((row) => (
            <li key={row.key} className="rounded-xl bg-white p-3 ring-1 ring-slate-200">
              {row.cells[0] && (
                <p className="font-medium text-slate-900">
                  <CellContent cell={row.cells[0]} />
                </p>
              )}
              <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
                {rest.map((column, i) => {
                  const cell = row.cells[i + 1];
                  return cell ? (
                    <div key={column.key} className="contents">
                      <dt className="text-slate-500">{column.label}</dt>
                      <dd className={`text-slate-900 ${column.numeric ? "tabular-nums" : ""}`}>
                        <CellContent cell={cell} />
                      </dd>
                    </div>
                  ) : null;
                })}
              </dl>
            </li>
          ))}
        </ul>
      </section>
    );
  }
  return (
    <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200" data-testid="report-table">
      <table id={id} className="w-full text-left text-sm">
        <caption className="px-4 pt-3 pb-1 text-left text-sm font-medium text-slate-800">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={`px-4 py-2 ${c.numeric ? "text-right" : ""}`}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, i) => {
                const column = columns[i];
                return i === 0 ? (
                  <th key={column?.key ?? i} scope="row" className="px-4 py-2 font-medium text-slate-900">
                    <CellContent cell={cell} />
                  </th>
                ) : (
                  <td
                    key={column?.key ?? i}
                    className={`px-4 py-2 text-slate-800 ${column?.numeric ? "text-right tabular-nums" : ""}`}
                  >
                    <CellContent cell={cell} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
