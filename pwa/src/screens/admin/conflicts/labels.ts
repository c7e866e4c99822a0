// Words for the conflict screens: statuses, kinds, choices made, devices and people.
import type { ConflictStatus } from "./query";

export const STATUS_LABELS: Record<ConflictStatus, string> = {
  open: "Open",
  auto_resolved: "Auto-resolved",
  resolved: "Resolved",
};

export const STATUS_TONES = { open: "amber", auto_resolved: "blue", resolved: "green" } as const;

export const KIND_LABELS: Record<string, string> = {
  field: "Both edited the same field",
  delete_update: "Deleted on one side, edited on the other",
  update_purged: "Edited after it was deleted for good",
  convert: "Converted while it changed",
  access: "Edited offline after it was reassigned away",
};

const ACTIONS: Record<string, string> = {
  keep: "nothing had to change",
  update: "the chosen values were applied",
  trash: "the record was moved to Trash",
  restore: "the record was restored from Trash",
  recreate: "the record was re-created",
  convert: "the lead was converted",
  restore_loser: "the losing value was restored",
};

const CHOICES: Record<string, string> = {
  server: "the server's side",
  client: "the device's side",
  custom: "values chosen field by field",
};

/** "Resolved with the device's side: the chosen values were applied." */
export function resolutionText(resolution: Record<string, unknown>): string {
  const choice = CHOICES[String(resolution.choice)] ?? String(resolution.choice ?? "");
  const action = ACTIONS[String(resolution.action)];
  return `Resolved with ${choice}${action ? `: ${action}` : ""}.`;
}

export const shortId = (id: string): string => id.slice(0, 8);

/** "Chrome on Android" from a User-Agent; the device's short id when it says nothing usable. */
export function deviceLabel(userAgent: string | null | undefined, clientId: string): string {
  const ua = userAgent ?? "";
  const os = [
    [/Android/, "Android"],
    [/iPhone|iPad|iPod/, "iOS"],
    [/CrOS/, "ChromeOS"],
    [/Windows/, "Windows"],
    [/Mac OS X|Macintosh/, "macOS"],
    [/Linux/, "Linux"],
  ].find(([re]) => (re as RegExp).test(ua))?.[1];
  const browser = [
    [/Edg\//, "Edge"],
    [/OPR\//, "Opera"],
    [/Firefox\//, "Firefox"],
    [/Chrome\/|CriOS\//, "Chrome"],
    [/Safari\//, "Safari"],
  ].find(([re]) => (re as RegExp).test(ua))?.[1];
  const named = browser && os ? `${browser} on ${os}` : (browser ?? os);
  return named ? `${named} · ${shortId(clientId)}` : `Device ${shortId(clientId)}`;
}

export interface Person {
  name?: string | null;
  email?: string | null;
}

export const personLabel = (person: Person | null | undefined, fallback = "Someone"): string =>
  person?.name?.trim() || person?.email || fallback;
