// Recognising "the device is out of storage" in every shape browsers and Dexie report it.
import { describe, expect, it } from "vitest";
import { isQuotaError } from "../src/store/errors";

describe("isQuotaError", () => {
  it("recognises the DOMException, Dexie's wrapping and the legacy code", () => {
    expect(isQuotaError(new DOMException("x", "QuotaExceededError"))).toBe(true);
    expect(isQuotaError({ name: "AbortError", inner: { name: "QuotaExceededError" } })).toBe(true);
    expect(isQuotaError({ name: "Error", code: 22 })).toBe(true);
    expect(isQuotaError(new Error("network"))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });
});
