import { describe, expect, it } from "vitest";
import { safeRedirectPath, signInPathFor } from "./safe-redirect";

describe("safeRedirectPath", () => {
  it.each([
    ["/wallet", "/wallet"],
    ["/products/classic-unicorn?x=1", "/products/classic-unicorn?x=1"],
    [null, "/"],
    ["", "/"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example/wallet", "/"],
    ["wallet", "/"],
  ])("%j → %j", (next, expected) => {
    expect(safeRedirectPath(next)).toBe(expected);
  });
});

describe("signInPathFor", () => {
  it("round-trips through safeRedirectPath", () => {
    const url = new URL(signInPathFor("/wallet?tab=history"), "http://shop.test");
    expect(url.pathname).toBe("/sign-in");
    expect(safeRedirectPath(url.searchParams.get("next"))).toBe("/wallet?tab=history");
  });
});
