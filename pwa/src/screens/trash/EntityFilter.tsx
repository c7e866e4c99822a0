// The kind chips above a Trash list (the device's and the admin's): all, or leads, clients or
// projects by the tenant's record names, an optional count after each.
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { TOP_ENTITIES, type TopEntity } from "../../records/paths";

export type EntityFilterValue = TopEntity | "all";

export function EntityFilter({
  value,
  onChange,
  count,
}: {
  value: EntityFilterValue;
  onChange(value: EntityFilterValue): void;
  count?(value: EntityFilterValue): number;
}) {
  const config = useCRMConfig();
  return (
    <div className="flex flex-wrap gap-1">
      {(["all", ...TOP_ENTITIES] as const).map((choice) => (
        <button
          key={choice}
          type="button"
          aria-pressed={value === choice}
          onClick={() => onChange(choice)}
          className={`rounded-full px-3 py-1 text-sm ring-1 ${value === choice ? "bg-brand-700 text-white ring-brand-700" : "bg-white text-slate-700 ring-slate-300"}`}
        >
          {choice === "all" ? "All" : config.noun(choice, true)}
          {count ? ` (${count(choice)})` : null}
        </button>
      ))}
    </div>
  );
}
