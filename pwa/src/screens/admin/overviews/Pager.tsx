// Offset pages: "1–25 of 1,234", previous and next, and the page size (remembered per overview).
import { useId } from "react";
import { Button } from "../../../ui/Button";
import { Select } from "../../../ui/Field";
import { lastPage, PAGE_SIZES, pageRange } from "./query";

export function Pager({
  page,
  pageSize,
  shown,
  total,
  onPage,
  onPageSize,
}: {
  page: number;
  pageSize: number;
  shown: number;
  total: number | null | undefined;
  onPage(page: number): void;
  onPageSize(size: number): void;
}) {
  const id = useId();
  const last = lastPage(pageSize, total ?? 0);
  // A size remembered from elsewhere (the preferences allow any from 10 to 100) is offered too.
  const sizes = [...new Set([...PAGE_SIZES, pageSize])].sort((a, b) => a - b);
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center gap-3 text-sm">
      <p className="mr-auto text-slate-600" aria-live="polite" data-testid="overview-range">
        {pageRange(page, pageSize, shown, total)}
      </p>
      <label htmlFor={id} className="text-slate-600">
        Per page
      </label>
      <div className="w-20">
        <Select
          id={id}
          value={pageSize}
          onChange={(e) => onPageSize(Number(e.target.value))}
          data-testid="overview-page-size"
        >
          {sizes.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </Select>
      </div>
      <Button variant="secondary" disabled={page === 0} onClick={() => onPage(page - 1)}>
        Previous
      </Button>
      <Button variant="secondary" disabled={page >= last} onClick={() => onPage(page + 1)}>
        Next
      </Button>
    </nav>
  );
}
