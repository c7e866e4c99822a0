// Admin screens for admins only. The server refuses their API calls to anyone else anyway; this
// keeps a non-admin who follows a link from a screen of errors.
import type { ReactNode } from "react";
import { useApp } from "../../app/AppProvider";

export function useIsAdmin(): boolean {
  const { session } = useApp();
  return session?.user.roles.includes("admin") ?? false;
}

export function AdminOnly({ children }: { children: ReactNode }) {
  if (!useIsAdmin()) {
    return (
      <p role="alert" className="text-sm text-slate-600">
        This page is for administrators.
      </p>
    );
  }
  return <>{children}</>;
}
