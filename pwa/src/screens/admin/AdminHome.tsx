// The Admin home: a card per admin area.
import { Link } from "react-router";
import type { AdminSection } from "./sections";

export function AdminHome({ sections }: { sections: AdminSection[] }) {
  const cards = sections.flatMap((s) => (s.card ? [s.card] : []));
  return (
    <section aria-labelledby="admin-title" className="space-y-4">
      <h1 id="admin-title" className="text-xl font-semibold">
        Admin
      </h1>
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {cards.map((c) => (
          <li key={c.to}>
            <Link
              to={`/${c.to}`}
              className="block h-full rounded-xl border border-slate-200 bg-white p-4 hover:border-brand-300 hover:bg-brand-50"
            >
              <span className="font-medium text-slate-900">{c.title}</span>
              <span className="mt-1 block text-sm text-slate-600">{c.blurb}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
