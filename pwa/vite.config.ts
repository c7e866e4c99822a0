import { readFileSync } from "node:fs";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig, loadEnv } from "vite";
import { serviceWorker } from "./sw/sw-plugin.ts";

// `npm run dev` proxies /api to a local server (PATHSIX_DEV_API, default :8080) so the app can
// use its own origin as in production; VITE_API_URL points a build at another origin instead.
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), "");
  const devApi = env.PATHSIX_DEV_API ?? "http://127.0.0.1:8080";
  // Shown on the Sync screen; PATHSIX_APP_VERSION overrides it (the e2e builds a second version).
  const version = env.PATHSIX_APP_VERSION ?? JSON.parse(readFileSync("package.json", "utf8")).version;
  return {
    define: { __APP_VERSION__: JSON.stringify(version) },
    plugins: [react(), tailwindcss(), serviceWorker()],
    // One chunk is the whole offline shell (see `npm run size`); the warning threshold says so.
    build: { outDir: "dist", sourcemap: true, target: "es2022", chunkSizeWarningLimit: 700 },
    server: {
      proxy: {
        "/api": { target: devApi, ws: true, changeOrigin: false },
        "/healthz": devApi,
      },
    },
  };
});
