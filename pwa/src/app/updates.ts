// App updates through the service worker. The worker installs a new version as soon as one is
// published (skipWaiting + clients.claim), so a page running the old code learns of it from
// `controllerchange` and offers a reload. Nothing here touches IndexedDB: the outbox of pending
// changes lives there and survives any number of updates and reloads (e2e).
import { useSyncExternalStore } from "react";

declare const __APP_VERSION__: string;
export const APP_VERSION: string = typeof __APP_VERSION__ === "string" ? __APP_VERSION__ : "dev";

let updateReady = false;
const listeners = new Set<() => void>();

export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  // The first controller is this version's own install; only a change from one to another is news.
  let controlled = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (controlled) {
      updateReady = true;
      for (const l of listeners) l();
    }
    controlled = true;
  });
  window.addEventListener("load", () => {
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then((registration) => {
        // Look for a new version when the app comes back to the foreground or online.
        const check = () => void registration.update().catch(() => undefined);
        window.addEventListener("online", check);
        document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && check());
      })
      .catch((err: unknown) => console.warn("service worker registration failed", err));
  });
}

export function useUpdateReady(): boolean {
  return useSyncExternalStore(
    (notify) => {
      listeners.add(notify);
      return () => listeners.delete(notify);
    },
    () => updateReady,
    () => false,
  );
}
