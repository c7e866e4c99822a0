// Retry delays: exponential with "full jitter" (a random delay up to the exponential cap), so
// many devices coming back online at once do not hit the server in lockstep.
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
  retryAfterSeconds: number | null = null,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  // The server's Retry-After (429, 503) is a floor, never shortened by jitter.
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}
