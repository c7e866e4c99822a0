// Which columns the overview shows (any of the record's; at least one), remembered per overview.
import { useState } from "react";
import { Button } from "../../../ui/Button";
import { Dialog } from "../../../ui/Dialog";
import type { OverviewSpec } from "./entities";
import { toggleColumn } from "./query";

export function ColumnChooser({
  spec,
  columns,
  onChange,
}: {
  spec: OverviewSpec;
  columns: string[];
  onChange(columns: string[]): void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Columns
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Columns" description="Shown in this order.">
        <fieldset>
          <legend className="sr-only">Shown columns</legend>
          <div className="grid grid-cols-2 gap-x-4 gap-y-2">
            {spec.columns.map((c) => {
              const on = columns.includes(c.name);
              return (
                <label key={c.name} className="flex items-center gap-2 text-sm text-slate-700">
                  <input
                    type="checkbox"
                    className="h-4 w-4 accent-brand-700"
                    checked={on}
                    // the last column cannot go: an overview always shows something
                    disabled={on && columns.length === 1}
                    onChange={(e) => onChange(toggleColumn(spec, columns, c.name, e.target.checked))}
                  />
                  {c.spec.label}
                </label>
              );
            })}
          </div>
        </fieldset>
        <div className="mt-4 flex gap-2">
          <Button onClick={() => setOpen(false)}>Done</Button>
          <Button variant="ghost" onClick={() => onChange(spec.defaultColumns)}>
            Reset to default
          </Button>
        </div>
      </Dialog>
    </>
  );
}
