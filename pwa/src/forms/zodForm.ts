// react-hook-form <-> the generated Zod schemas, and the server's 422 errors onto form fields.
import type { FieldErrors, FieldValues, Resolver } from "react-hook-form";
import type { z } from "zod";
import type { ErrorBody } from "../contracts/zod";

/** Inputs hold "" for "nothing"; the API says null. */
export function blankToNull<T extends Record<string, unknown>>(values: T): T {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === "string" && v.trim() === "" ? null : v]),
  ) as T;
}

/** Validate with a generated schema; errors land on the field Zod names (the first path). */
export function zodResolver<V extends FieldValues>(schema: z.ZodType): Resolver<V> {
  return async (values) => {
    // Absent optional fields are left out, not sent as null, so a create relies on the server's
    // defaults exactly as the contract says.
    const cleaned = Object.fromEntries(Object.entries(blankToNull(values)).filter(([, v]) => v !== null));
    const result = schema.safeParse(cleaned);
    if (result.success) return { values: result.data as V, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const issue of result.error.issues) {
      const name = issue.path.length ? String(issue.path[0]) : "root";
      errors[name] ??= { type: issue.code, message: issue.message };
    }
    return { values: {}, errors: errors as FieldErrors<V> };
  };
}

export interface ServerFieldError {
  field: string;
  message: string;
}

/** The `details.fields` of a validation error, as (field, message) pairs. Fields the form does
 * not have are reported under "root" so nothing the server said is hidden. */
export function serverFieldErrors(
  error: ErrorBody | null | undefined,
  formFields: readonly string[],
): ServerFieldError[] {
  if (!error) return [];
  const fields = (error.details as { fields?: unknown } | undefined)?.fields;
  if (!fields || typeof fields !== "object") return [{ field: "root", message: error.error }];
  return Object.entries(fields as Record<string, unknown>).map(([field, messages]) => {
    const text = Array.isArray(messages) ? messages.map(String).join("; ") : String(messages);
    const name = field.replace(/^fields\./, "");
    return formFields.includes(name) ? { field: name, message: text } : { field: "root", message: `${field}: ${text}` };
  });
}
