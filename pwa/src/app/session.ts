// The signed-in session, kept in localStorage so the app opens offline without signing in.
// The records live in the user's own IndexedDB database (store/index.ts), not here.
import { z } from "zod";
import { type LoginResponse, UserOut } from "../contracts/zod";

const KEY = "pathsix.session";

export const Session = z.object({
  token: z.string(),
  user: UserOut,
  expiresAt: z.number(),
});
export type Session = z.infer<typeof Session>;

export function sessionFromLogin(response: LoginResponse, now = Date.now()): Session {
  return { token: response.access_token, user: response.user, expiresAt: now + response.expires_in * 1000 };
}

export function loadSession(storage: Storage | undefined = globalThis.localStorage): Session | null {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return null;
    const parsed = Session.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null, storage: Storage | undefined = globalThis.localStorage): void {
  if (!storage) return;
  if (session) storage.setItem(KEY, JSON.stringify(session));
  else storage.removeItem(KEY);
}
