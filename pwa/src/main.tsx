import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { registerServiceWorker } from "./app/updates";
import { cachedBranding } from "./hooks/useCRMConfig";
import "./index.css";

// The last tenant brand colour seen, before anything renders (the login page has no config yet).
const { brand } = cachedBranding();
if (brand) document.documentElement.style.setProperty("--brand", brand);

const root = document.getElementById("root");
if (!root) throw new Error("#root missing from index.html");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// The service worker caches the app shell so the app starts offline (built only: dev has none).
if (import.meta.env.PROD) registerServiceWorker();
