#!/usr/bin/env node
// Serves pwa/dist the way the backend should (see README "Serving the built app"): static
// files, the SPA fallback to index.html, cache headers that let the service worker update, and
// /api + health routes (WebSocket included) passed through to the API server, so the app and
// the API share one origin as in production.
//
//   node scripts/serve-dist.mjs [--port 4173] [--api http://127.0.0.1:8080]
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { connect } from "node:net";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), "../dist");
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
};
const PROXIED = [/^\/api\//, /^\/healthz$/, /^\/readyz$/, /^\/metrics$/];
// Hashed assets never change; everything else must be revalidated so a new build (and a new
// sw.js) is picked up.
const cacheControl = (path) => (path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");

function proxy(apiUrl, req, res) {
  const target = new URL(req.url, apiUrl);
  const upstream = httpRequest(
    target,
    { method: req.method, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ error: "API unreachable", code: "unavailable", details: {} }));
  });
  req.pipe(upstream);
}

function sendFile(res, file, urlPath, method) {
  res.writeHead(200, {
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    "Cache-Control": cacheControl(urlPath),
    "X-Content-Type-Options": "nosniff",
  });
  if (method === "HEAD") res.end();
  else createReadStream(file).pipe(res);
}

export function serveDist({ port = 4173, host = "127.0.0.1", apiUrl, dist = DIST } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (apiUrl && PROXIED.some((re) => re.test(path))) return proxy(apiUrl, req, res);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" });
      return res.end();
    }
    const file = normalize(join(dist, path));
    if (file.startsWith(dist) && existsSync(file) && statSync(file).isFile())
      return sendFile(res, file, path, req.method);
    // A path with an extension is a missing file; anything else is an app route.
    if (extname(path)) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      return res.end("not found");
    }
    return sendFile(res, join(dist, "index.html"), "/index.html", req.method);
  });
  server.on("upgrade", (req, socket, head) => {
    if (!apiUrl || !req.url?.startsWith("/api/")) return socket.destroy();
    const target = new URL(apiUrl);
    const upstream = connect(Number(target.port || 80), target.hostname, () => {
      const headers = Object.entries({ ...req.headers, host: target.host })
        .map(([k, v]) => `${k}: ${v}`)
        .join("\r\n");
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  return new Promise((resolveServer) => {
    server.listen(port, host, () => resolveServer(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const port = Number(arg("--port", "4173"));
  const apiUrl = arg("--api", process.env.PATHSIX_DEV_API ?? "http://127.0.0.1:8080");
  await serveDist({ port, apiUrl });
  console.log(`serving ${DIST} at http://127.0.0.1:${port} (API ${apiUrl})`);
}
