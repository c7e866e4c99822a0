// Per-record results of a bulk action (restore, purge, reassign), summed up for people:
// "Restored 2 leads and 1 client. 1 failed." — the failures are listed with the server's words.
import type { ErrorBody } from "../../../../contracts/zod";
import type { TopEntity } from "../../../../records/paths";

export interface Outcome {
  entity: TopEntity;
  id: string;
  ok: boolean;
  /** the server's message when it failed */
  error: string | null;
  /** the record's name when the screen knows it */
  name?: string;
}

/** One result of the API's per-id shape (`status` "ok"/"purged"/…, `error` the error body). */
export function outcomeOf(
  item: { entity: string; id: string; status: string; error?: ErrorBody | null | undefined },
  name?: string,
): Outcome {
  const ok = item.status !== "failed";
  return {
    entity: item.entity as TopEntity,
    id: item.id,
    ok,
    error: ok ? null : (item.error?.error ?? "failed"),
    ...(name === undefined ? {} : { name }),
  };
}

type Noun = (entity: TopEntity, plural?: boolean) => string;

/** "Restored 2 leads and 1 client." plus "1 failed." when some did (verb: "Restored"). */
export function outcomeSummary(outcomes: readonly Outcome[], verb: string, noun: Noun): string {
  const counts = new Map<TopEntity, number>();
  for (const o of outcomes) if (o.ok) counts.set(o.entity, (counts.get(o.entity) ?? 0) + 1);
  const parts = [...counts].map(([entity, n]) => `${n} ${noun(entity, n !== 1).toLowerCase()}`);
  const done = parts.length ? `${verb} ${joinWords(parts)}.` : `${verb} nothing.`;
  const failed = outcomes.length - outcomes.filter((o) => o.ok).length;
  return failed ? `${done} ${failed} failed.` : done;
}

export function joinWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}
