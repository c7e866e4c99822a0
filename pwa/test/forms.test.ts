import { describe, expect, it } from "vitest";
import { closedOptions, parseTenantConfig } from "../src/config/tenantConfig";
import { LeadCreate } from "../src/contracts/zod";
import { serverFieldErrors, zodResolver } from "../src/forms/zodForm";

describe("form validation with the generated schema", () => {
  const resolve = zodResolver(LeadCreate);
  const run = (values: Record<string, unknown>) =>
    resolve(values, undefined, { fields: {}, shouldUseNativeValidation: false });

  it("treats blank inputs as absent and accepts a minimal lead", async () => {
    const result = await run({ name: "  Harbor  ", email: "", phone: "" });
    expect(result.errors).toEqual({});
    expect(result.values).toEqual({ name: "Harbor" });
  });

  it("puts each problem on its field", async () => {
    const result = await run({ name: "", email: "not-an-email", lead_status: "won" });
    expect(Object.keys(result.errors).sort()).toEqual(["email", "lead_status", "name"]);
  });
});

describe("server 422 onto the form", () => {
  it("maps details.fields to form fields and keeps the rest visible", () => {
    const errors = serverFieldErrors(
      {
        error: "Invalid",
        code: "validation_error",
        details: { fields: { phone: ["not a valid phone number"], __root__: ["x"] } },
      },
      ["name", "phone"],
    );
    expect(errors).toEqual([
      { field: "phone", message: "not a valid phone number" },
      { field: "root", message: "__root__: x" },
    ]);
  });
});

describe("tenant config", () => {
  it("relabels the closed status list but never widens it", () => {
    const config = parseTenantConfig({ labels: { lead_status: { new: "Fresh", won: "Won!" } } });
    const options = closedOptions(config, "lead_status");
    expect(options.map((o) => o.value)).toEqual(["new", "contacted", "qualified", "lost", "converted"]);
    expect(options[0]?.label).toBe("Fresh");
  });

  it("falls back to defaults on malformed config", () => {
    const config = parseTenantConfig({ labels: 7, lead_sources: "web", currency: 3 });
    expect(config).toMatchObject({ labels: {}, lead_sources: [], currency: "USD" });
  });
});
