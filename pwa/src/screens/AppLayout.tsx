// The signed-in frame: header (brand, navigation on a desktop, sync indicator), notices, the
// screen, and a tab bar at the bottom on a phone.
import { useEffect } from "react";
import { Link, Navigate, NavLink, Outlet } from "react-router";
import { useApp } from "../app/AppProvider";
import { APP_ROUTES, type AppRoute } from "../app/routes";
import { type CRMConfig, useCRMConfig } from "../hooks/useCRMConfig";
import { Button } from "../ui/Button";
import { Icon } from "../ui/icons";
import { Banners } from "./Banners";
import { SyncIndicator } from "./SyncIndicator";
import { SearchLink } from "./search/SearchLink";

const navLabel = (route: AppRoute, config: CRMConfig): string =>
  typeof route.nav === "string" ? route.nav : route.nav ? config.noun(route.nav.entity, true) : "";

export const visibleRoutes = (config: CRMConfig, isAdmin = false): AppRoute[] =>
  APP_ROUTES.filter((r) => (!r.feature || config.feature(r.feature)) && (!r.admin || isAdmin));

/** The tenant's brand colour on <html> (every brand-* shade derives from it). */
function useBrandTheme(config: CRMConfig): void {
  useEffect(() => {
    const root = document.documentElement;
    if (config.brand) root.style.setProperty("--brand", config.brand);
    else root.style.removeProperty("--brand");
    document.querySelector('meta[name="theme-color"]')?.setAttribute("content", config.brand ?? "#0f766e");
  }, [config.brand]);
}

function Shell() {
  const { logout, session } = useApp();
  const config = useCRMConfig();
  useBrandTheme(config);
  const isAdmin = session?.user.roles.includes("admin") ?? false;
  const nav = visibleRoutes(config, isAdmin).filter((r) => r.nav);
  return (
    <div className="flex min-h-full flex-col pb-16 sm:pb-0">
      <header className="sticky top-0 z-10 border-b border-slate-200 bg-white/90 backdrop-blur">
        <div className="mx-auto flex max-w-6xl items-center gap-3 px-4 py-2">
          <Link to="/today" className="flex items-center gap-2 font-semibold">
            <img src="/icons/icon.svg" alt="" className="h-7 w-7" />
            <span className="hidden md:inline">{config.appName}</span>
          </Link>
          <nav aria-label="Main" className="hidden gap-1 sm:flex">
            {nav.map((r) => (
              <NavLink
                key={r.path}
                to={`/${r.path}`}
                className={({ isActive }) =>
                  `rounded-lg px-2.5 py-1.5 text-sm ${isActive ? "bg-brand-50 font-medium text-brand-800" : "text-slate-600 hover:bg-slate-100"}`
                }
              >
                {navLabel(r, config)}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-2">
            <SearchLink />
            <SyncIndicator />
            <Button
              variant="ghost"
              className="whitespace-nowrap px-2"
              onClick={() => void logout()}
              title={session?.user.email}
            >
              Sign out
            </Button>
          </div>
        </div>
        <Banners />
      </header>
      <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-4">
        <Outlet />
      </main>
      <nav
        aria-label="Main"
        className="fixed inset-x-0 bottom-0 z-10 grid border-t border-slate-200 bg-white pb-[env(safe-area-inset-bottom)] sm:hidden"
        style={{ gridTemplateColumns: `repeat(${nav.length}, minmax(0, 1fr))` }}
      >
        {nav.map((r) => (
          <NavLink
            key={r.path}
            to={`/${r.path}`}
            className={({ isActive }) =>
              `flex flex-col items-center gap-0.5 py-2 text-[11px] ${isActive ? "font-semibold text-brand-800" : "text-slate-600"}`
            }
          >
            {r.icon && <Icon name={r.icon} />}
            {navLabel(r, config)}
          </NavLink>
        ))}
      </nav>
    </div>
  );
}

export function AppLayout() {
  const { session, workspace } = useApp();
  if (!session) return <Navigate to="/login" replace />;
  if (!workspace || workspace.store.userId !== session.user.id) {
    return <div className="p-8 text-sm text-slate-500">Opening your data…</div>;
  }
  return <Shell />;
}
