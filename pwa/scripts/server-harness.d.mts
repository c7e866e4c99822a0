export const PASSWORD: string;
export function freePort(): Promise<number>;
export interface StartedServer {
  url: string;
  dir: string;
  tenantId: string;
  admin: { id: string; email: string; password: string };
  user: { id: string; email: string; password: string };
  stop(): Promise<void>;
}
export function startServer(options?: {
  corsOrigins?: string[];
  log?: boolean;
  staticDir?: string;
}): Promise<StartedServer>;
