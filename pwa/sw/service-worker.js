/* PathSix CRM service worker. Built by sw/sw-plugin.ts, which prepends
 * `const PRECACHE = [...]` (every file of the build) and `const VERSION = "<hash>"`.
 * The app shell is served from the cache first, so the app starts with no network at all; data
 * never passes through here (the API is not intercepted: the app keeps records in IndexedDB). */
/// <reference lib="webworker" />
/* global PRECACHE, VERSION */
const CACHE = `pathsix-shell-${VERSION}`;
const scope = new URL(self.registration.scope);
const INDEX = new URL("index.html", scope).href;
const precached = new Set(PRECACHE.map((path) => new URL(path, scope).href));

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([...precached]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith("pathsix-shell-") && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

const isApi = (url) => url.pathname.startsWith(`${scope.pathname}api/`) || url.pathname.startsWith("/api/");

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin || isApi(url)) return;
  if (request.mode === "navigate") {
    // Every in-app route is the single-page app: its shell comes from the cache.
    event.respondWith(caches.match(INDEX).then((cached) => cached || fetch(request)));
    return;
  }
  const key = url.origin + url.pathname;
  if (precached.has(key)) {
    event.respondWith(caches.match(key).then((cached) => cached || fetch(request)));
  }
});
