import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { isCrossSiteMutation, securityHeaders } from "./front-door";

const request = (method: string, headers: Record<string, string> = {}) => ({ method, headers }) as unknown as IncomingMessage;

describe("securityHeaders", () => {
  it("sends HSTS and upgrades requests only where the shop is served over https", () => {
    const https = securityHeaders("https://unicorns.example");
    expect(https["strict-transport-security"]).toBe("max-age=31536000");
    expect(https["content-security-policy"]).toMatch(/; upgrade-insecure-requests$/);
    const http = securityHeaders("http://127.0.0.1:3100");
    expect(http["strict-transport-security"]).toBeUndefined();
    expect(http["content-security-policy"]).not.toMatch(/upgrade-insecure-requests/);
  });

  it("forbids framing, plugins, <base> and foreign sources", () => {
    const policy = securityHeaders("https://unicorns.example")["content-security-policy"];
    for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "connect-src 'self'", "default-src 'self'"]) {
      expect(policy).toContain(directive);
    }
  });
});

describe("isCrossSiteMutation", () => {
  const shop = "https://unicorns.example";

  it("never refuses a read, wherever it comes from", () => {
    expect(isCrossSiteMutation(request("GET", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }), shop)).toBe(false);
    expect(isCrossSiteMutation(request("HEAD", { "sec-fetch-site": "cross-site" }), shop)).toBe(false);
  });

  it.each(["POST", "PUT", "PATCH", "DELETE"])("refuses a %s from elsewhere", (method) => {
    expect(isCrossSiteMutation(request(method, { origin: "https://evil.example" }), shop)).toBe(true);
    expect(isCrossSiteMutation(request(method, { "sec-fetch-site": "cross-site" }), shop)).toBe(true);
  });

  it("lets in the shop's own origin, a browser's same-origin, and a program sending neither", () => {
    expect(isCrossSiteMutation(request("POST", { origin: shop }), shop)).toBe(false);
    expect(isCrossSiteMutation(request("POST", { "sec-fetch-site": "same-origin" }), shop)).toBe(false);
    expect(isCrossSiteMutation(request("POST"), shop)).toBe(false);
  });

  it("compares whole origins: scheme, host and port", () => {
    expect(isCrossSiteMutation(request("POST", { origin: "http://unicorns.example" }), shop)).toBe(true);
    expect(isCrossSiteMutation(request("POST", { origin: "https://unicorns.example:8443" }), shop)).toBe(true);
    expect(isCrossSiteMutation(request("POST", { origin: "https://unicorns.example.evil.example" }), shop)).toBe(true);
  });
});
