// Above the list: the sort (a select on a phone, where there are no column headers), the column
// chooser, and the export of the filtered list as CSV or XLSX.
import { useState } from "react";
import { saveDownload } from "../../../api/http";
import { useApp } from "../../../app/AppProvider";
import { Button } from "../../../ui/Button";
import { Select } from "../../../ui/Field";
import { errorText } from "../shared/messages";
import { exportFile } from "./api";
import { ColumnChooser } from "./ColumnChooser";
import type { OverviewSpec } from "./entities";
import { type OverviewFilters, sortValue, type ViewSettings } from "./query";

type Format = "csv" | "xlsx";

export function Toolbar({
  spec,
  view,
  filters,
  desktop,
  onSort,
  onColumns,
}: {
  spec: OverviewSpec;
  view: ViewSettings;
  filters: OverviewFilters;
  desktop: boolean;
  onSort(sort: string): void;
  onColumns(columns: string[]): void;
}) {
  const { api } = useApp();
  const [exporting, setExporting] = useState<Format | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = async (format: Format) => {
    setExporting(format);
    setError(null);
    try {
      saveDownload(await exportFile(api, spec, filters, view.sort, format));
    } catch (err) {
      setError(`The export failed: ${errorText(err)}`);
    } finally {
      setExporting(null);
    }
  };
  const exportButton = (format: Format) => (
    <Button variant="secondary" disabled={exporting !== null} onClick={() => void download(format)}>
      {exporting === format ? "Exporting…" : `Export ${format.toUpperCase()}`}
    </Button>
  );

  return (
    <div className="flex flex-wrap items-center gap-2">
      {!desktop && (
        <div className="w-full">
          <Select aria-label="Sort by" value={view.sort} onChange={(e) => onSort(e.target.value)}>
            {spec.columns.flatMap((c) =>
              [false, true].map((descending) => (
                <option key={`${c.name}-${descending}`} value={sortValue({ column: c.name, descending })}>
                  {c.spec.label} {descending ? "↓" : "↑"}
                </option>
              )),
            )}
          </Select>
        </div>
      )}
      <div className="ml-auto flex flex-wrap gap-2">
        <ColumnChooser spec={spec} columns={view.columns} onChange={onColumns} />
        {exportButton("csv")}
        {exportButton("xlsx")}
      </div>
      {error && (
        <p role="alert" className="w-full rounded-lg bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
          {error}
        </p>
      )}
    </div>
  );
}
