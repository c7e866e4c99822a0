// The hits of one kind of record: each links to the record's page (children to their parent's;
// users to the admin's users screen, for admins only) and names the fields the words were found
// in, with their values.
import { Link } from "react-router";
import type { CRMConfig } from "../../hooks/useCRMConfig";
import { ENTITY_FIELDS } from "../../records/fields";
import { pagePath } from "../../records/paths";
import type { LocalHit, SearchGroup } from "../../search/localSearch";
import type { SearchEntity } from "../../search/searchable";

const USER_FIELDS: Record<string, string> = { name: "Name", email: "Email" };

export function kindLabel(entity: SearchEntity, config: CRMConfig, plural = false): string {
  if (entity === "user") return plural ? "Users" : "User";
  return config.noun(entity, plural);
}

function fieldLabel(entity: SearchEntity, field: string): string {
  if (entity === "user") return USER_FIELDS[field] ?? field;
  return ENTITY_FIELDS[entity].find((f) => f.name === field)?.label ?? field;
}

export function hitPath(hit: LocalHit, isAdmin: boolean): string | null {
  if (hit.entity === "user") return isAdmin ? "/admin/users" : null;
  return pagePath(hit.entity, hit.row);
}

function Hit({ hit, config, isAdmin }: { hit: LocalHit; config: CRMConfig; isAdmin: boolean }) {
  const href = hitPath(hit, isAdmin);
  const title = hit.title ?? `Untitled ${kindLabel(hit.entity, config).toLowerCase()}`;
  return (
    <li className="p-3" data-testid="search-hit" data-entity={hit.entity} data-id={hit.id}>
      {href ? (
        <Link to={href} className="font-medium text-brand-800 hover:underline">
          {title}
        </Link>
      ) : (
        <span className="font-medium text-slate-900">{title}</span>
      )}
      <dl className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-600">
        {hit.fields.map((field) => (
          <div key={field} className="flex gap-1" data-field={field}>
            <dt className="text-slate-500">{fieldLabel(hit.entity, field)}:</dt>
            <dd className="break-all">{String(hit.row[field] ?? "")}</dd>
          </div>
        ))}
      </dl>
    </li>
  );
}

export function ResultGroup({
  group,
  config,
  isAdmin,
  onMore,
}: {
  group: SearchGroup;
  config: CRMConfig;
  isAdmin: boolean;
  /** shown while the group lists fewer hits than it found */
  onMore: (() => void) | null;
}) {
  const headingId = `search-group-${group.entity}`;
  const shown = group.hits.length;
  return (
    <section aria-labelledby={headingId} data-testid={`search-group-${group.entity}`}>
      <h2 id={headingId} className="mb-1 flex items-baseline gap-2 text-sm font-semibold text-slate-700">
        {kindLabel(group.entity, config, true)}
        <span className="text-xs font-normal text-slate-500">
          {shown < group.total ? `${shown} of ${group.total}` : group.total}
        </span>
      </h2>
      <ul className="divide-y divide-slate-100 rounded-xl bg-white ring-1 ring-slate-200">
        {group.hits.map((hit) => (
          <Hit key={hit.id} hit={hit} config={config} isAdmin={isAdmin} />
        ))}
      </ul>
      {shown < group.total && onMore && (
        <button type="button" onClick={onMore} className="mt-1 px-1 text-sm text-brand-800 hover:underline">
          Show more {kindLabel(group.entity, config, true).toLowerCase()}
        </button>
      )}
    </section>
  );
}
