// Who is signed in, and that user's store and sync engine. Everything below reads records from
// the store (never from the network) and writes through engine.mutate.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { z } from "zod";
import { ApiClient } from "../api/http";
import { API_URL } from "../config/env";
import { LoginResponse } from "../contracts/zod";
import { openStore } from "../store";
import type { LocalStore } from "../store/store";
import { SyncClient } from "../sync/client";
import { SyncEngine } from "../sync/engine";
import { HttpSyncTransport } from "../sync/transport";
import { loadSession, type Session, saveSession, sessionFromLogin } from "./session";

interface Workspace {
  store: LocalStore;
  engine: SyncEngine;
}

interface AppContextValue {
  session: Session | null;
  workspace: Workspace | null;
  api: ApiClient;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const AppContext = createContext<AppContextValue | null>(null);

let currentToken: string | null = null;
let currentExpiry = 0;
const api = new ApiClient({ baseUrl: API_URL, getToken: () => currentToken });

function openWorkspace(userId: string): Workspace {
  const store = openStore({ userId });
  const client = new SyncClient(store, new HttpSyncTransport(api));
  const engine = new SyncEngine({
    client,
    getToken: () => currentToken,
    // An expired session is known without the network: sync stops with "sign in again", the
    // app keeps working on the device and the outbox waits for the next sign-in.
    sessionValid: () => currentToken !== null && currentExpiry > Date.now(),
    apiUrl: API_URL,
  });
  return { store, engine };
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  currentToken = session?.token ?? null;
  currentExpiry = session?.expiresAt ?? 0;
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const userId = session?.user.id ?? null;

  // One workspace per user: the same user signing in again keeps it (and its outbox).
  useEffect(() => {
    if (!userId) {
      setWorkspace(null);
      return;
    }
    const opened = openWorkspace(userId);
    setWorkspace(opened);
    opened.engine.start();
    return () => {
      opened.engine.stop();
      opened.store.close();
    };
  }, [userId]);

  const login = useCallback(
    async (email: string, password: string) => {
      const response = await api.request("POST", "/api/v1/auth/login", { email, password }, LoginResponse);
      const next = sessionFromLogin(response);
      saveSession(next);
      currentToken = next.token;
      currentExpiry = next.expiresAt;
      setSession(next);
      if (next.user.id === userId) workspace?.engine.resumeAfterLogin();
    },
    [userId, workspace],
  );

  const logout = useCallback(async () => {
    // Best effort: revoking the token needs the network; signing out locally never does.
    await api.request("POST", "/api/v1/auth/logout", undefined, z.unknown()).catch(() => undefined);
    saveSession(null);
    currentToken = null;
    currentExpiry = 0;
    setSession(null);
  }, []);

  const value = useMemo(() => ({ session, workspace, api, login, logout }), [session, workspace, login, logout]);
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error("useApp outside AppProvider");
  return value;
}

/** The signed-in user's store and engine (screens under the authenticated layout only). */
export function useWorkspace(): Workspace & { session: Session } {
  const { workspace, session } = useApp();
  if (!workspace || !session) throw new Error("useWorkspace without a signed-in user");
  return { ...workspace, session };
}
