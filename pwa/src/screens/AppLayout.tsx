import { Link, Navigate, NavLink, Outlet, useNavigate } from "react-router";
import { useApp } from "../app/AppProvider";
import { APP_ROUTES } from "../app/routes";
import { useCRMConfig } from "../hooks/useCRMConfig";
import { useSyncStatus } from "../hooks/useSyncStatus";
import { Button } from "../ui/Button";
import { SyncIndicator } from "./SyncIndicator";

function Banners() {
  const status = useSyncStatus();
  const navigate = useNavigate();
  if (status.phase === "auth-required") {
    return (
      <div role="status" className="flex flex-wrap items-center gap-3 bg-amber-50 px-4 py-2 text-sm text-amber-900">
        Your session ended. Changes stay on this device until you sign in again.
        <Button variant="secondary" onClick={() => navigate("/login?resume")}>
          Sign in
        </Button>
      </div>
    );
  }
  if (status.phase === "update-required") {
    return (
      <div role="status" className="flex flex-wrap items-center gap-3 bg-red-50 px-4 py-2 text-sm text-red-900">
        This version of the app can no longer sync. Your changes are kept; reload to update.
        <Button variant="secondary" onClick={() => location.reload()}>
          Reload
        </Button>
      </div>
    );
  }
  return null;
}

function Shell() {
  const { logout, session } = useApp();
  const config = useCRMConfig();
  return (
    <div className="flex min-h-full flex-col">
      <header className="sticky top-0 z-10 border-b border-slate-200 bg-white/90 backdrop-blur">
        <div className="mx-auto flex max-w-6xl items-center gap-3 px-4 py-2">
          <Link to="/leads" className="flex items-center gap-2 font-semibold">
            <img src="/icons/icon.svg" alt="" className="h-7 w-7" />
            <span className="hidden sm:inline">{config.appName}</span>
          </Link>
          <nav className="flex gap-1">
            {APP_ROUTES.filter((r) => r.nav).map((r) => (
              <NavLink
                key={r.path}
                to={`/${r.path}`}
                className={({ isActive }) =>
                  `rounded-lg px-2.5 py-1.5 text-sm ${isActive ? "bg-brand-50 font-medium text-brand-800" : "text-slate-600 hover:bg-slate-100"}`
                }
              >
                {r.nav}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-2">
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
