import { describe, expect, it } from "vitest";
import { safeRedirectPath, signInPathFor } from "./safe-redirect";

describe("safeRedirectPath", () => {
  it.each([
    ["/wallet", "/wallet"],
    ["/products/classic-unicorn?x=1", "/products/classic-unicorn?x=1"],
    ["/orders#latest", "/orders#latest"],
    // Encoded slashes stay encoded: the browser asks this site for that path, it does not leave.
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/%09/evil.example", "/%09/evil.example"],
    ["/%5Cevil.example", "/%5Cevil.example"],
  ])("keeps the path %j as %j", (next, expected) => {
    expect(safeRedirectPath(next)).toBe(expected);
  });

  it.each([
    [null],
    [""],
    ["wallet"],
    ["//evil.example"],
    ["///evil.example"],
    ["/\\evil.example"],
    ["\\/evil.example"],
    ["/\\/evil.example"],
    // The issue's own finding: ?next=%2F%09%2Fevil.example%2Fwallet, i.e. "/<tab>/evil.example/wallet".
    ["/\t/evil.example/wallet"],
    ["/\n/evil.example"],
    ["/\r\n/evil.example"],
    ["\t//evil.example"],
    ["/\u0000/evil.example"],
    ["/./\\evil.example"],
    // Dot segments that resolve to a "//" address.
    ["/.//evil.example"],
    ["/a/..//evil.example"],
    ["https://evil.example/wallet"],
    ["http:/evil.example"],
    ["%2F%2Fevil.example"],
    ["javascript:alert(1)"],
    ["JavaScript:alert(document.cookie)"],
    [" /wallet"],
  ])("refuses %j", (next) => {
    expect(safeRedirectPath(next)).toBe("/");
  });

  it("falls back to what the caller chose", () => {
    expect(safeRedirectPath("//evil.example", "/points")).toBe("/points");
  });
});

describe("signInPathFor", () => {
  it("round-trips through safeRedirectPath", () => {
    const url = new URL(signInPathFor("/wallet?tab=history"), "http://shop.test");
    expect(url.pathname).toBe("/sign-in");
    expect(safeRedirectPath(url.searchParams.get("next"))).toBe("/wallet?tab=history");
  });

  it("turns the issue's sign-in link into the front page", () => {
    const url = new URL("/sign-in?next=%2F%09%2Fevil.example%2Fwallet", "http://shop.test");
    expect(safeRedirectPath(url.searchParams.get("next"))).toBe("/");
  });
});
