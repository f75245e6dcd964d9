import { describe, expect, it } from "vitest";
import { frontConfig, relaysFor } from "../hosts/haproxy";
import { hostAddress } from "../hosts/network";
import { oneHostFrontConfig } from "./front-door";

describe("the front door's configuration", () => {
  const text = oneHostFrontConfig({ frontPort: 3000, webPort: 3001 });

  it("on one host: the shop's port in front of the web server on 127.0.0.1, with the page cache", () => {
    expect(text).toContain("bind 0.0.0.0:3000");
    expect(text).toContain("server web 127.0.0.1:3001");
    expect(text).toContain("option forwardfor");
    expect(text).toContain("cache shared-pages");
    expect(text).toContain("http-request cache-use shared-pages if { var(txn.shared_page) -m bool }");
    expect(text).not.toMatch(/\{\{\w+\}\}/);
  });

  it("keeps only GETs of the catalog and product pages as documents, never an answer that sets a cookie", () => {
    expect(text).toContain("acl shared_page path /\n");
    expect(text).toContain("acl shared_page path_reg ^/products/[^/]+$");
    expect(text).toContain("if METH_GET shared_page !rsc_request");
    expect(text).toContain("!{ res.hdr(set-cookie) -m found }");
    expect(text).not.toMatch(/shared_page path[^\n]*(\/api|\/points|\/wallet|\/orders|\/checkout)/);
  });

  it("in front of several hosts: the same page cache", () => {
    const relays = relaysFor({ databaseUrl: "postgresql://127.0.0.1:5432/x", redisUrl: "redis://127.0.0.1:6379", redisClusterNodes: [], firstGatewayPort: 3550 });
    const hostsText = frontConfig({ frontPort: 3540, statsPort: 3541, hosts: [hostAddress(1)], relays });
    expect(hostsText).toContain("cache shared-pages");
    expect(hostsText).toContain("http-response cache-store shared-pages");
  });
});
