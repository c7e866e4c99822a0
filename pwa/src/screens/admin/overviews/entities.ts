// The one description of each admin overview (leads, clients, projects, accounts): everything the
// generic screen needs to know about an entity. Its columns and sorts come from the generated
// contract (the server's "shown columns": any of them may be shown and sorted on), its labels and
// display kinds from the record field descriptions, so nothing here repeats the schema.
import { z } from "zod";
import type { ClosedList } from "../../../config/tenantConfig";
import {
  AccountList,
  AdminAccountsViewPrefs,
  AdminClientsViewPrefs,
  AdminLeadsViewPrefs,
  AdminProjectsViewPrefs,
  ClientList,
  LeadList,
  ProjectList,
  type ViewsPrefs,
} from "../../../contracts/zod";
import { type FieldSpec, fieldsOf } from "../../../records/fields";

export type OverviewEntity = "lead" | "client" | "project" | "account";
export const OVERVIEW_ENTITIES: readonly OverviewEntity[] = ["lead", "client", "project", "account"];

/** A record as an overview lists it (the entity's Read shape). */
export type OverviewRow = { id: string; version: number } & Record<string, unknown>;

export type OverviewPage = { items: OverviewRow[]; total?: number | null | undefined };

export interface OverviewColumn {
  name: string;
  /** how a value is shown: the record field's own description, or one for the common fields */
  spec: FieldSpec;
}

export interface OverviewSpec {
  entity: OverviewEntity;
  /** the URL segment: /admin/<path>, /api/v1/admin/<path>, /api/v1/<path>/{id} */
  path: "leads" | "clients" | "projects" | "accounts";
  /** the entry of the user's preferences that remembers this overview */
  view: keyof ViewsPrefs & `admin_${string}`;
  list: z.ZodType<OverviewPage>;
  /** every column it can show (and sort on), in the contract's order */
  columns: OverviewColumn[];
  defaultColumns: string[];
  defaultSort: string;
  /** the column that names a record (a card's title, the name in bulk results) */
  title: string;
  /** the status field, its closed list, and values only a lifecycle operation sets (lead
   * conversion), which a bulk status change cannot */
  status: { field: string; list: ClosedList; lifecycle?: string[] };
  /** bulk "assign" applies (the entity has assigned_to) */
  assignable: boolean;
  /** the fields of the edit form */
  editable: string[];
}

/** The fields every record has, which the record forms do not describe. */
const COMMON: FieldSpec[] = [
  { name: "id", label: "ID", kind: "text" },
  { name: "created_at", label: "Created", kind: "datetime" },
  { name: "updated_at", label: "Updated", kind: "datetime" },
  { name: "created_by", label: "Created by", kind: "user" },
  { name: "version", label: "Version", kind: "text" },
  { name: "converted_on", label: "Converted on", kind: "datetime" },
  { name: "converted_client_id", label: "Converted to client", kind: "client" },
  { name: "source_lead_id", label: "Source lead", kind: "text" },
  { name: "lead_id", label: "Lead", kind: "text" },
  { name: "client_id", label: "Client", kind: "client" },
];

/** The values of the `columns` enum of a generated view-preferences schema. */
function columnNames(view: z.ZodObject<{ columns: z.ZodType }>): string[] {
  let schema: z.ZodType = view.shape.columns;
  while (!(schema instanceof z.ZodEnum)) {
    if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) schema = schema.unwrap() as z.ZodType;
    else throw new Error("view preferences without a columns enum");
  }
  return schema.options.map(String);
}

function columnsOf(entity: OverviewEntity, view: z.ZodObject<{ columns: z.ZodType }>): OverviewColumn[] {
  const own = fieldsOf(entity);
  return columnNames(view).map((name) => {
    const spec = own.find((s) => s.name === name) ?? COMMON.find((s) => s.name === name);
    return { name, spec: spec ?? { name, label: name, kind: "text" } };
  });
}

const names = (entity: OverviewEntity, except: string[] = []) =>
  fieldsOf(entity)
    .map((s) => s.name)
    .filter((n) => !except.includes(n));

export const OVERVIEWS: Record<OverviewEntity, OverviewSpec> = {
  lead: {
    entity: "lead",
    path: "leads",
    view: "admin_leads",
    list: LeadList,
    columns: columnsOf("lead", AdminLeadsViewPrefs),
    defaultColumns: ["name", "lead_status", "contact_person", "city", "assigned_to", "created_at"],
    defaultSort: "-created_at",
    title: "name",
    status: { field: "lead_status", list: "lead_status", lifecycle: ["converted"] },
    assignable: true,
    editable: names("lead"),
  },
  client: {
    entity: "client",
    path: "clients",
    view: "admin_clients",
    list: ClientList,
    columns: columnsOf("client", AdminClientsViewPrefs),
    defaultColumns: ["name", "status", "contact_person", "city", "assigned_to", "created_at"],
    defaultSort: "-created_at",
    title: "name",
    status: { field: "status", list: "client_status" },
    assignable: true,
    editable: names("client"),
  },
  project: {
    entity: "project",
    path: "projects",
    view: "admin_projects",
    list: ProjectList,
    columns: columnsOf("project", AdminProjectsViewPrefs),
    defaultColumns: ["name", "project_status", "project_worth", "project_start", "assigned_to", "created_at"],
    defaultSort: "-created_at",
    title: "name",
    status: { field: "project_status", list: "project_status" },
    assignable: true,
    // The client picker offers the clients on this device, which may not include the project's
    // own: the overview edits the rest and leaves the client as it is.
    editable: names("project", ["client_id"]),
  },
  account: {
    entity: "account",
    path: "accounts",
    view: "admin_accounts",
    list: AccountList,
    columns: columnsOf("account", AdminAccountsViewPrefs),
    defaultColumns: ["account_number", "account_name", "status", "client_id", "opened_on", "created_at"],
    defaultSort: "-created_at",
    title: "account_number",
    status: { field: "status", list: "account_status" },
    assignable: false,
    editable: names("account"),
  },
};

export const columnOf = (spec: OverviewSpec, name: string): OverviewColumn | undefined =>
  spec.columns.find((c) => c.name === name);
