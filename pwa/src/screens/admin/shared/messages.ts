// The words every admin screen (and the reports) uses for a server it cannot reach or that said
// no: one sentence per failure, one "needs a connection" notice, one load error. Pure, so the
// wording is pinned by unit tests.
import { HttpError, NetworkError } from "../../../api/http";

/** Whether the server can be asked now: these screens work on the server, not on the device. */
export type Connection = "online" | "offline" | "signed-out";

/** Any failure of a server call as a sentence for the person at the screen. */
export function errorText(err: unknown): string {
  if (err instanceof NetworkError) return "No connection to the server.";
  if (!(err instanceof HttpError)) return err instanceof Error ? err.message : String(err);
  if (err.status === 401) return "Your session has ended: sign in again.";
  if (err.status === 403) return "This needs the admin role.";
  if (err.status === 404) return "This is not on the server (any more).";
  const fields = err.details.fields;
  // A 422 names what was wrong with each field: keep it, the screen may not show the field.
  if (err.status === 422 && fields && typeof fields === "object") {
    const parts = Object.entries(fields).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join("; ") : String(v)}`);
    if (parts.length > 0) return `${err.message} (${parts.join(", ")})`;
  }
  return err.message;
}

/** Why a screen cannot ask the server now; `what` names the screen ("Conflict review"). */
export function connectionText(connection: Exclude<Connection, "online">, what: string): string {
  if (connection === "signed-out") return "Your session has ended: sign in again.";
  return `You are offline. ${what} needs a connection: it works on the server, not on this device. The rest of the app keeps working offline.`;
}

/** A failed load; no answer at all is retried by the loader on its own (serverRead.ts). */
export function loadErrorText(err: unknown): string {
  const retrying = err instanceof NetworkError ? " Trying again automatically." : "";
  return `Could not load: ${errorText(err)}${retrying}`;
}
