// Tabs in the WAI-ARIA pattern (as Radix Tabs): a tablist with roving tabindex, arrow keys,
// Home/End, and one labelled tabpanel. Panels not shown are not rendered.
import { type KeyboardEvent, type ReactNode, useId, useRef } from "react";

export interface TabItem {
  id: string;
  label: ReactNode;
  content: ReactNode;
}

export function Tabs({
  items,
  value,
  onChange,
  label,
}: {
  items: TabItem[];
  value: string;
  onChange(id: string): void;
  label: string;
}) {
  const base = useId();
  const list = useRef<HTMLDivElement>(null);
  const current = items.find((i) => i.id === value) ?? items[0];

  const onKeyDown = (event: KeyboardEvent) => {
    const index = items.findIndex((i) => i.id === current?.id);
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: items.length - 1,
    };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = items[(to + items.length) % items.length];
    if (!next) return;
    onChange(next.id);
    list.current?.querySelector<HTMLElement>(`#${CSS.escape(`${base}-tab-${next.id}`)}`)?.focus();
  };

  return (
    <div>
      <div
        ref={list}
        role="tablist"
        aria-label={label}
        onKeyDown={onKeyDown}
        className="-mx-4 flex gap-1 overflow-x-auto border-b border-slate-200 px-4 sm:mx-0 sm:px-0"
      >
        {items.map((item) => {
          const selected = item.id === current?.id;
          return (
            <button
              key={item.id}
              id={`${base}-tab-${item.id}`}
              type="button"
              role="tab"
              aria-selected={selected}
              aria-controls={`${base}-panel-${item.id}`}
              tabIndex={selected ? 0 : -1}
              onClick={() => onChange(item.id)}
              className={`whitespace-nowrap border-b-2 px-3 py-2 text-sm ${selected ? "border-brand-700 font-medium text-brand-800" : "border-transparent text-slate-600 hover:text-slate-900"}`}
            >
              {item.label}
            </button>
          );
        })}
      </div>
      {current && (
        <div
          id={`${base}-panel-${current.id}`}
          role="tabpanel"
          aria-labelledby={`${base}-tab-${current.id}`}
          className="pt-3"
        >
          {current.content}
        </div>
      )}
    </div>
  );
}
