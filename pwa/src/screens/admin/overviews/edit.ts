// The edit modal's logic that needs no browser: which fields to show side by side when the save
// met a newer version of the record (412), and the message of a save the server refused.
import type { FieldSpec } from "../../../records/fields";

export interface StaleField {
  spec: FieldSpec;
  /** the value the server has now */
  server: unknown;
  /** the value the admin wants, when they changed this field */
  yours: unknown;
  changedByYou: boolean;
  changedOnServer: boolean;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The form's fields that the admin changed or that changed on the server since the form was
 * opened (`original` is the record as it was then, `current` the server's record now). */
export function staleFields(
  specs: readonly FieldSpec[],
  original: Record<string, unknown>,
  current: Record<string, unknown>,
  mine: Record<string, unknown>,
): StaleField[] {
  return specs.flatMap((spec) => {
    const changedByYou = spec.name in mine;
    const changedOnServer = !same(original[spec.name], current[spec.name]);
    if (!changedByYou && !changedOnServer) return [];
    return [
      {
        spec,
        server: current[spec.name],
        yours: changedByYou ? mine[spec.name] : current[spec.name],
        changedByYou,
        changedOnServer,
      },
    ];
  });
}
