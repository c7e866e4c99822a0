// The tenant config relabels closed lists but never widens them; dates and money follow it.
import { describe, expect, it } from "vitest";
import { crmConfig } from "../src/config/crmConfig";
import {
  CLOSED_LISTS,
  type ClosedList,
  closedLabel,
  closedOptions,
  parseTenantConfig,
} from "../src/config/tenantConfig";
import {
  ClientStatusValues,
  FollowupStatusValues,
  LeadStatusValues,
  ProjectStatusValues,
  TenantConfig as TenantConfigSchema,
} from "../src/contracts/zod";
import { formatDate, formatDateTime, formatMoney } from "../src/ui/format";

const hostile = {
  labels: {
    lead_status: { new: "Fresh", won: "Won", "": "Blank", contacted: "  " },
    client_status: { active: "Live", vip: "VIP" },
    project_status: "not a map",
    phone_label: { work: "Office" },
    made_up_list: { a: "b" },
  },
};

describe("tenant labels", () => {
  it("never widen a closed list: every option is a contract value, in contract order", () => {
    const config = parseTenantConfig(hostile);
    for (const list of Object.keys(CLOSED_LISTS) as ClosedList[]) {
      expect(closedOptions(config, list).map((o) => o.value)).toEqual([...CLOSED_LISTS[list]]);
    }
    expect(closedOptions(config, "lead_status").map((o) => o.value)).toEqual([...LeadStatusValues]);
    expect(closedOptions(config, "client_status").map((o) => o.value)).toEqual([...ClientStatusValues]);
    expect(closedOptions(config, "project_status").map((o) => o.value)).toEqual([...ProjectStatusValues]);
    expect(closedOptions(config, "followup_status").map((o) => o.value)).toEqual([...FollowupStatusValues]);
  });

  it("relabel the values they name and fall back to the value's own name", () => {
    const config = parseTenantConfig(hostile);
    expect(closedOptions(config, "lead_status").map((o) => o.label)).toEqual([
      "Fresh",
      "Contacted",
      "Qualified",
      "Lost",
      "Converted",
    ]);
    expect(closedLabel(config, "client_status", "active")).toBe("Live");
    // phone labels are not in the contract's StatusLabels: not relabelled
    expect(closedLabel(config, "phone_label", "work")).toBe("Work");
  });

  it("give a value outside the list no tenant label (shown as it is)", () => {
    const config = parseTenantConfig(hostile);
    expect(closedLabel(config, "lead_status", "won")).toBe("Won"); // humanized, not from labels
    expect(closedLabel(parseTenantConfig({ labels: { lead_status: { won: "WINNER" } } }), "lead_status", "won")).toBe(
      "Won",
    );
    expect(closedLabel(config, "lead_status", null)).toBe("");
  });

  it("fall back to defaults for anything malformed instead of breaking the app", () => {
    const config = parseTenantConfig({
      branding: 7,
      features: { projects: "no" },
      currency: "euros",
      lead_sources: "x",
    });
    expect(config).toMatchObject({ branding: {}, currency: "USD", lead_sources: [], date_format: "MM/DD/YYYY" });
    expect(crmConfig({ features: { projects: false } }).feature("projects")).toBe(false);
    expect(crmConfig({}).feature("projects")).toBe(true); // absent features are on
    expect(parseTenantConfig(null)).toMatchObject({ labels: {}, features: {} });
  });

  it("read what the contract's TenantConfig accepts", () => {
    const valid = {
      branding: { name: "Harbor CRM", primary_color: "#7c3aed", logo_url: null },
      labels: { lead_status: { new: "Fresh" }, project_status: { pending: "Planned" } },
      lead_sources: ["Referral", "Website"],
      business_types: ["Plumbing"],
      currency: "EUR",
      date_format: "DD.MM.YYYY",
      features: { projects: false },
    };
    expect(TenantConfigSchema.safeParse(valid).success).toBe(true);
    const config = crmConfig(valid);
    expect(config.appName).toBe("Harbor CRM");
    expect(config.brand).toBe("#7c3aed");
    expect(config.label("project_status", "pending")).toBe("Planned");
    expect(config.date("2026-11-22")).toBe("22.11.2026");
    expect(config.money("1250.5")).toMatch(/1,?250\.50/);
    expect(config.money("1250.5")).toMatch(/€/);
  });

  it("let no brand colour but #RRGGBB into a style", () => {
    expect(crmConfig({ branding: { primary_color: "red;background:url(x)" } }).brand).toBeNull();
    expect(crmConfig({ branding: { primary_color: "#abc" } }).brand).toBeNull();
  });
});

describe("formats", () => {
  it("writes dates in each contract DateFormat", () => {
    expect(formatDate("2026-03-05", "YYYY-MM-DD")).toBe("2026-03-05");
    expect(formatDate("2026-03-05", "MM/DD/YYYY")).toBe("03/05/2026");
    expect(formatDate("2026-03-05", "DD/MM/YYYY")).toBe("05/03/2026");
    expect(formatDate("2026-03-05", "DD.MM.YYYY")).toBe("05.03.2026");
    expect(formatDate("2026-03-05", "D MMM YYYY")).toBe("5 Mar 2026");
    expect(formatDate(new Date(2026, 2, 5, 23, 0).toISOString(), "YYYY-MM-DD")).toBe("2026-03-05");
    expect(formatDateTime(new Date(2026, 2, 5, 7, 4).toISOString(), "DD.MM.YYYY")).toBe("05.03.2026 07:04");
    expect(formatDate(null)).toBe("");
    expect(formatDate("garbage")).toBe("garbage");
  });

  it("writes money in the tenant's currency", () => {
    expect(formatMoney("1250.00", "USD", "en-US")).toBe("$1,250.00");
    expect(formatMoney("1250", "EUR", "de-DE")).toMatch(/1\.250,00\s€/);
    expect(formatMoney(null)).toBe("");
    expect(formatMoney("abc")).toBe("abc");
  });
});

describe("tenant record names", () => {
  it("name records the tenant's way, falling back to the default for anything missing or broken", () => {
    const config = crmConfig(
      parseTenantConfig({
        nouns: {
          client: { singular: "Customer", plural: "Customers" },
          lead: { singular: "Prospect", plural: "  " },
          project: "not a noun",
        },
      }),
    );
    expect(config.noun("client")).toBe("Customer");
    expect(config.noun("client", true)).toBe("Customers");
    expect(config.noun("lead")).toBe("Prospect");
    expect(config.noun("lead", true)).toBe("Leads");
    expect(config.noun("project", true)).toBe("Projects");
    expect(crmConfig(parseTenantConfig({})).noun("note")).toBe("Note");
  });
});
