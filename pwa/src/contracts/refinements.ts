// The cross-field rules of the Create models that JSON Schema cannot state (the fixtures mark
// them "json_schema_expressible": false), layered on the generated schemas. Each mirrors one
// model_validator in sync_server/schemas/records.py; the message is the server's.
import type { z } from "zod";
import { recordSchemas } from "./zod";

type Body = Record<string, unknown>;
type Rule = (body: Body) => string | null;

const present = (v: unknown) => v !== null && v !== undefined;

const exactlyOne =
  (...names: string[]): Rule =>
  (body) =>
    names.filter((n) => present(body[n])).length === 1 ? null : `exactly one of ${names.join(", ")} is required`;

const notBefore =
  (later: string, earlier: string): Rule =>
  (body) => {
    const a = body[later];
    const b = body[earlier];
    // ISO dates compare correctly as strings.
    return typeof a === "string" && typeof b === "string" && a < b ? `${later} must not be before ${earlier}` : null;
  };

export const CROSS_FIELD_RULES: Partial<Record<keyof typeof recordSchemas, Rule[]>> = {
  contact: [exactlyOne("client_id", "lead_id")],
  interaction: [exactlyOne("client_id", "lead_id")],
  project: [notBefore("project_end", "project_start")],
  subscription: [notBefore("renewal_date", "start_date")],
};

/** The generated Create schema of an entity plus its cross-field rules (issues at the root). */
export function createSchema<E extends keyof typeof recordSchemas>(entity: E) {
  const base = recordSchemas[entity].create as z.ZodType<Body>;
  const rules = CROSS_FIELD_RULES[entity] ?? [];
  return base.superRefine((body, ctx) => {
    for (const rule of rules) {
      const message = rule(body);
      if (message) ctx.addIssue({ code: "custom", message, path: [] });
    }
  });
}
