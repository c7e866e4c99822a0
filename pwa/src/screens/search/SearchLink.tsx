// The header's way to search, on a phone (an icon: the tab bar is full) and on a desktop.
import { NavLink } from "react-router";
import { preloadSearch } from "./routes";

export function SearchLink() {
  return (
    <NavLink
      to="/search"
      aria-label="Search"
      title="Search"
      data-testid="search-link"
      onPointerEnter={preloadSearch}
      onPointerDown={preloadSearch}
      onFocus={preloadSearch}
      className={({ isActive }) =>
        `flex items-center gap-1.5 rounded-lg px-2 py-1.5 text-sm ${isActive ? "bg-brand-50 font-medium text-brand-800" : "text-slate-600 hover:bg-slate-100"}`
      }
    >
      <svg
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.8}
        strokeLinecap="round"
        className="h-5 w-5"
        aria-hidden="true"
      >
        <path d="M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14Zm5-2 4.5 4.5" />
      </svg>
      <span className="hidden lg:inline">Search</span>
    </NavLink>
  );
}
