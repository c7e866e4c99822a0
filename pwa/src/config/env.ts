// Where the backend is. VITE_API_URL picks it at build time (one build per tenant deployment
// when the API lives elsewhere); unset, the app talks to its own origin.
const configured = (import.meta.env?.VITE_API_URL as string | undefined) ?? "";

export const API_URL = configured.replace(/\/+$/, "");

/** The WebSocket URL of an API path, on the API's host. */
export function websocketUrl(path: string, base: string = API_URL): string {
  const origin = base || (typeof location === "undefined" ? "http://localhost" : location.origin);
  const url = new URL(path, origin.endsWith("/") ? origin : `${origin}/`);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}
