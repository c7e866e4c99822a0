// Search: one box that finds leads, clients, projects, contacts and users among the records on
// this device, by the server's word rules (src/search/), so it works offline too. The query lives
// in the URL (?q=): back from a record returns to its results. Enter opens the first hit.
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useCRMConfig } from "../../hooks/useCRMConfig";
import { useDebounced } from "../../hooks/useDebounced";
import { searchLocal } from "../../search/localSearch";
import { SEARCH_ENTITIES, type SearchEntity } from "../../search/searchable";
import { useSearchIndex } from "../../search/useSearchIndex";
import { queryWords } from "../../search/words";
import { Input } from "../../ui/Field";
import { useIsAdmin } from "../admin/AdminOnly";
import { hitPath, kindLabel, ResultGroup } from "./SearchResults";

const DEBOUNCE_MS = 150;
/** hits of a kind once the user asks for more (beyond that, another word narrows them) */
const EXPANDED_LIMIT = 50;

export default function SearchScreen() {
  const config = useCRMConfig();
  const isAdmin = useIsAdmin();
  const navigate = useNavigate();
  const index = useSearchIndex();
  const [params, setParams] = useSearchParams();
  const [input, setInput] = useState(() => params.get("q") ?? "");
  const q = useDebounced(input, DEBOUNCE_MS);
  const [expanded, setExpanded] = useState<{ q: string; kinds: SearchEntity[] }>({ q: "", kinds: [] });
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => inputRef.current?.focus(), []);
  useEffect(() => {
    if ((params.get("q") ?? "") !== q) setParams(q ? { q } : {}, { replace: true });
  }, [q, params, setParams]);
  useEffect(() => {
    if (index) performance.mark("pathsix:search-ready");
  }, [index]);

  const entities = useMemo(
    () => SEARCH_ENTITIES.filter((e) => e !== "project" || config.feature("projects")),
    [config],
  );
  const groups = useMemo(() => {
    if (!index) return undefined;
    const more = expanded.q === q ? expanded.kinds : [];
    return searchLocal(index, q, { entities, limits: Object.fromEntries(more.map((k) => [k, EXPANDED_LIMIT])) });
  }, [index, q, entities, expanded]);

  const hasWords = queryWords(q).length > 0;
  const found = groups?.reduce((n, g) => n + g.total, 0) ?? 0;
  const status = !index
    ? "Loading the records on this device…"
    : !hasWords
      ? ""
      : found === 0
        ? `Nothing on this device matches “${q.trim()}”.`
        : `${found} found`;

  const openFirst = (event: FormEvent) => {
    event.preventDefault();
    if (!index) return;
    const first = searchLocal(index, input, { entities, limit: 1 })
      .flatMap((g) => g.hits)
      .map((hit) => hitPath(hit, isAdmin))
      .find((path) => path !== null);
    if (first) navigate(first);
  };

  return (
    <section aria-labelledby="search-title" className="space-y-4" data-testid="search">
      <h1 id="search-title" className="text-lg font-semibold">
        Search
      </h1>
      <search>
        <form onSubmit={openFirst}>
          <Input
            ref={inputRef}
            type="search"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            placeholder="Name, email, phone or city"
            aria-label="Search everything on this device"
            aria-describedby="search-status"
            enterKeyHint="search"
            autoComplete="off"
          />
        </form>
      </search>
      <p
        id="search-status"
        role="status"
        className="text-xs text-slate-500"
        data-testid="search-status"
        data-q={q}
        data-ready={index ? "true" : "false"}
      >
        {status}
      </p>
      {hasWords ? (
        groups?.map((group) => (
          <ResultGroup
            key={group.entity}
            group={group}
            config={config}
            isAdmin={isAdmin}
            onMore={
              expanded.q === q && expanded.kinds.includes(group.entity)
                ? null
                : () => setExpanded((e) => ({ q, kinds: [...(e.q === q ? e.kinds : []), group.entity] }))
            }
          />
        ))
      ) : (
        <p className="rounded-xl bg-white p-4 text-sm text-slate-600 ring-1 ring-slate-200" data-testid="search-empty">
          Type the start of any word of a name, email, phone number or city (“sal bak” finds Salem Bakery). Search looks
          through the {entities.map((e) => kindLabel(e, config, true).toLowerCase()).join(", ")} on this device, so it
          works offline too.
        </p>
      )}
    </section>
  );
}
