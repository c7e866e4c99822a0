// The header's way to search, on a phone (an icon: the tab bar is full) and on a desktop.
import { NavLink } from "react-router";
import { Icon } from "../../ui/icons";
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
      <Icon name="search" />
      <span className="hidden lg:inline">Search</span>
    </NavLink>
  );
}
