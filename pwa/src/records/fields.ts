// The one description of each entity's fields the generic form, detail and list code work
// from (STYLE.md: no copy-paste per entity). Names are the contract's (…Create schemas).
import type { ClosedList } from "../config/tenantConfig";
import type { RecordEntity } from "../sync/entities";

export type FieldKind =
  | "text"
  | "email"
  | "tel"
  | "textarea"
  | "date"
  | "datetime"
  | "money"
  | "bool"
  | "closed"
  | "user"
  | "client"
  | "suggest";

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  /** the closed list of a `closed` field */
  list?: ClosedList;
  /** a `closed` field that may be left empty */
  optional?: boolean;
  /** the tenant list that suggests values for a `suggest` field */
  suggest?: "lead_sources" | "business_types";
  wide?: boolean;
  autoComplete?: string;
}

const f = (name: string, label: string, kind: FieldKind = "text", extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  label,
  kind,
  ...extra,
});

const PARTY: FieldSpec[] = [
  f("contact_person", "Contact person", "text", { autoComplete: "name" }),
  f("contact_title", "Contact title"),
  f("email", "Email", "email", { autoComplete: "email" }),
  f("phone", "Phone", "tel", { autoComplete: "tel" }),
  f("phone_label", "Phone type", "closed", { list: "phone_label", optional: true }),
  f("secondary_phone", "Second phone", "tel"),
  f("secondary_phone_label", "Second phone type", "closed", { list: "phone_label", optional: true }),
  f("address", "Address", "text", { autoComplete: "street-address" }),
  f("city", "City"),
  f("state", "State"),
  f("zip", "ZIP", "text", { autoComplete: "postal-code" }),
];

export const ENTITY_FIELDS: Record<RecordEntity, FieldSpec[]> = {
  lead: [
    f("name", "Business name", "text", { autoComplete: "organization" }),
    f("lead_status", "Status", "closed", { list: "lead_status" }),
    ...PARTY,
    f("lead_source", "Lead source", "suggest", { suggest: "lead_sources" }),
    f("business_type", "Business type", "suggest", { suggest: "business_types" }),
    f("assigned_to", "Assigned to", "user"),
    f("notes", "Notes", "textarea", { wide: true }),
  ],
  client: [
    f("name", "Business name", "text", { autoComplete: "organization" }),
    f("status", "Status", "closed", { list: "client_status" }),
    ...PARTY,
    f("business_type", "Business type", "suggest", { suggest: "business_types" }),
    f("assigned_to", "Assigned to", "user"),
    f("notes", "Notes", "textarea", { wide: true }),
  ],
  project: [
    f("name", "Project name"),
    f("project_status", "Status", "closed", { list: "project_status" }),
    f("client_id", "Client", "client"),
    f("project_start", "Start", "date"),
    f("project_end", "End", "date"),
    f("project_worth", "Worth", "money"),
    f("value_type", "Billed", "closed", { list: "value_type", optional: true }),
    f("assigned_to", "Assigned to", "user"),
    f("description", "Description", "textarea", { wide: true }),
    f("notes", "Notes", "textarea", { wide: true }),
  ],
  contact: [
    f("first_name", "First name", "text", { autoComplete: "given-name" }),
    f("last_name", "Last name", "text", { autoComplete: "family-name" }),
    f("title", "Title"),
    f("email", "Email", "email", { autoComplete: "email" }),
    f("phone", "Phone", "tel", { autoComplete: "tel" }),
    f("is_primary", "Primary contact", "bool"),
    f("notes", "Notes", "textarea", { wide: true }),
  ],
  account: [
    f("account_number", "Account number"),
    f("account_name", "Account name"),
    f("status", "Status", "closed", { list: "account_status" }),
    f("opened_on", "Opened", "date"),
    f("notes", "Notes", "textarea", { wide: true }),
  ],
  subscription: [
    f("plan_name", "Plan"),
    f("price", "Price", "money"),
    f("billing_cycle", "Billing cycle", "closed", { list: "billing_cycle" }),
    f("status", "Status", "closed", { list: "subscription_status" }),
    f("start_date", "Start", "date"),
    f("renewal_date", "Renewal", "date"),
  ],
  interaction: [
    f("type", "Type", "closed", { list: "interaction_type", optional: true }),
    f("contact_date", "When", "datetime"),
    f("summary", "Summary", "text", { wide: true }),
    f("outcome", "Outcome", "textarea", { wide: true }),
    f("follow_up", "Follow up on", "datetime"),
    f("followup_status", "Follow-up status", "closed", { list: "followup_status", optional: true }),
    f("contact_person", "Contact person"),
    f("phone", "Phone", "tel"),
    f("email", "Email", "email"),
    f("notes", "Notes", "textarea", { wide: true }),
  ],
  note: [f("body", "Note", "textarea", { wide: true })],
};

export const fieldsOf = (entity: RecordEntity, names?: readonly string[]): FieldSpec[] =>
  names ? names.flatMap((n) => ENTITY_FIELDS[entity].filter((s) => s.name === n)) : ENTITY_FIELDS[entity];
