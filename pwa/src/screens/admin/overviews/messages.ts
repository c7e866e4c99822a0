// A failed request in words, for the overview screens (the API's one error shape, or no answer).
import { HttpError, NetworkError } from "../../../api/http";

export const OFFLINE_NOTICE =
  "The admin overviews read the whole company's records from the server: connect to the internet to use them. Your own records stay available offline in the app.";

export function problemText(err: unknown): string {
  if (err instanceof NetworkError) return "No connection to the server. Nothing was changed; try again when online.";
  if (err instanceof HttpError) {
    if (err.status === 401) return "Your session has expired: sign in again.";
    if (err.status === 403) return "This needs the admin role.";
    const fields = (err.details as { fields?: Record<string, unknown> }).fields;
    if (err.status === 422 && fields && typeof fields === "object") {
      const parts = Object.entries(fields).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join("; ") : String(v)}`);
      if (parts.length > 0) return `${err.message} (${parts.join(", ")})`;
    }
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
