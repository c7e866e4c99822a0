// The server's 422 field errors onto a settings form's fields (failures in words: messages.ts).
import { HttpError } from "../../../../api/http";
import { errorText } from "../../shared/messages";

/** The server's `details.fields` mapped onto the form's field names: a key the form has, else
 * its longest prefix the form has (`lead_sources.2` -> `lead_sources`, `roles.0` -> `roles`),
 * else "root" with the key in the message so nothing the server said is lost. A 422 words each
 * field; another status naming fields (409 "email taken") puts its own message on them. */
export function fieldErrors(err: unknown, names: readonly string[]): Record<string, string> {
  if (!(err instanceof HttpError)) return { root: errorText(err) };
  const fields = err.details.fields;
  if (!fields || typeof fields !== "object") return { root: errorText(err) };
  const out: Record<string, string> = {};
  const add = (name: string, message: string) => {
    out[name] = out[name] ? `${out[name]} ${message}` : message;
  };
  for (const [key, messages] of Object.entries(fields as Record<string, unknown>)) {
    const words = Array.isArray(messages) ? messages.map(String).join("; ") : String(messages);
    const text = err.status === 422 ? words : err.message;
    const name = fieldFor(key, names);
    add(name, name === "root" ? `${key}: ${text}` : text);
  }
  return out;
}

/** The form field a dotted error path belongs to: itself or its longest prefix, else "root". */
export function fieldFor(path: string, names: readonly string[]): string {
  const parts = path.split(".");
  for (let n = parts.length; n > 0; n -= 1) {
    const prefix = parts.slice(0, n).join(".");
    if (names.includes(prefix)) return prefix;
  }
  return "root";
}
