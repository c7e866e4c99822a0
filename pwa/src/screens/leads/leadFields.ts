// The lead form's fields, in display order. Names are the contract's (LeadCreate).
import type { LeadCreate } from "../../contracts/zod";

export type LeadFormValues = { [K in keyof LeadCreate]-?: string };

export const LEAD_FORM_FIELDS = [
  "name",
  "lead_status",
  "contact_person",
  "contact_title",
  "email",
  "phone",
  "phone_label",
  "secondary_phone",
  "secondary_phone_label",
  "address",
  "city",
  "state",
  "zip",
  "lead_source",
  "business_type",
  "assigned_to",
  "notes",
] as const satisfies readonly (keyof LeadCreate)[];

export const LEAD_LABELS: Record<(typeof LEAD_FORM_FIELDS)[number], string> = {
  name: "Business name",
  lead_status: "Status",
  contact_person: "Contact person",
  contact_title: "Contact title",
  email: "Email",
  phone: "Phone",
  phone_label: "Phone type",
  secondary_phone: "Second phone",
  secondary_phone_label: "Second phone type",
  address: "Address",
  city: "City",
  state: "State",
  zip: "ZIP",
  lead_source: "Lead source",
  business_type: "Business type",
  assigned_to: "Assigned to",
  notes: "Notes",
};

/** A record (or a draft) as form values: every field a string, "" for nothing. */
export function toFormValues(record: Record<string, unknown> | undefined): LeadFormValues {
  const values: Record<string, string> = {};
  for (const name of LEAD_FORM_FIELDS) {
    const v = record?.[name];
    values[name] = v === null || v === undefined ? "" : String(v);
  }
  values.lead_status ||= "new";
  return values as LeadFormValues;
}
