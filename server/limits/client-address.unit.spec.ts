import { describe, expect, it } from "vitest";
import { clientAddress, networkOf } from "./client-address";
import { waitInWords } from "./rate-limits";

describe("clientAddress", () => {
  it("is the socket's peer without a proxy of ours, whatever X-Forwarded-For says", () => {
    expect(clientAddress({ socketAddress: "198.51.100.7", forwardedFor: "203.0.113.1", trustedProxyHops: 0 })).toBe("198.51.100.7");
    expect(clientAddress({ socketAddress: "::ffff:127.0.0.1", forwardedFor: undefined, trustedProxyHops: 0 })).toBe("127.0.0.1");
    expect(clientAddress({ socketAddress: undefined, forwardedFor: "203.0.113.1", trustedProxyHops: 0 })).toBeUndefined();
  });

  it("is the entry the outermost of our proxies appended, never one the client wrote before it", () => {
    const forwardedFor = "10.0.0.1, 203.0.113.9, 192.0.2.4";
    expect(clientAddress({ socketAddress: "10.1.1.1", forwardedFor, trustedProxyHops: 1 })).toBe("192.0.2.4");
    expect(clientAddress({ socketAddress: "10.1.1.1", forwardedFor, trustedProxyHops: 2 })).toBe("203.0.113.9");
    expect(clientAddress({ socketAddress: "10.1.1.1", forwardedFor, trustedProxyHops: 5 })).toBe("10.0.0.1");
    expect(clientAddress({ socketAddress: "10.1.1.1", forwardedFor: undefined, trustedProxyHops: 1 })).toBe("10.1.1.1");
    expect(clientAddress({ socketAddress: "10.1.1.1", forwardedFor: "not-an-address", trustedProxyHops: 1 })).toBeUndefined();
  });
});

describe("networkOf", () => {
  it("is an IPv4 address itself, an IPv6 address's /64, or one shared 'unknown'", () => {
    expect(networkOf("198.51.100.7")).toBe("198.51.100.7");
    expect(networkOf("2001:db8:1:2::5")).toBe("2001:db8:1:2::/64");
    expect(networkOf("2001:0db8:0001:0002:ffff:0:0:9")).toBe("2001:db8:1:2::/64");
    expect(networkOf("::1")).toBe("0:0:0:0::/64");
    expect(networkOf("64:ff9b::192.0.2.1")).toBe("64:ff9b:0:0::/64");
    expect(networkOf(undefined)).toBe("unknown");
  });
});

describe("waitInWords", () => {
  it("says how long to wait, rounded up", () => {
    expect([1, 45, 60, 61, 900, 3_600, 5_400, 7_300].map(waitInWords)).toEqual([
      "1 second",
      "45 seconds",
      "1 minute",
      "2 minutes",
      "15 minutes",
      "60 minutes",
      "2 hours",
      "3 hours",
    ]);
  });
});
