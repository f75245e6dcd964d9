import { describe, expect, it } from "vitest";
import { frontConfig, HOST_WEB_PORT, relaysFor, sidecarConfig } from "./haproxy";
import { hostAddress } from "./network";

const single = { databaseUrl: "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_bench_hosts", redisUrl: "redis://127.0.0.1:6379/10", firstGatewayPort: 3550 };

describe("the hosts' relays", () => {
  it("relays PostgreSQL and the one Redis on consecutive gateway ports", () => {
    expect(relaysFor({ ...single, redisClusterNodes: [] })).toEqual([
      { name: "postgresql", port: 5432, gatewayPort: 3550 },
      { name: "redis", port: 6379, gatewayPort: 3551 },
    ]);
  });

  it("relays every Redis Cluster node instead, each on its own port (redirects name them by 127.0.0.1:<port>)", () => {
    const relays = relaysFor({ ...single, redisClusterNodes: ["127.0.0.1:7100", " 127.0.0.1:7101", "127.0.0.1:7102"] });
    expect(relays.map((relay) => [relay.name, relay.port, relay.gatewayPort])).toEqual([
      ["postgresql", 5432, 3550],
      ["redis-node-1", 7100, 3551],
      ["redis-node-2", 7101, 3552],
      ["redis-node-3", 7102, 3553],
    ]);
  });

  it("refuses a cluster node that is not on this machine's loopback, with a sentence", () => {
    expect(() => relaysFor({ ...single, redisClusterNodes: ["10.0.0.5:7000"] })).toThrow(/must be 127\.0\.0\.1:<port>.*"10\.0\.0\.5:7000"/);
  });
});

describe("HAProxy's configurations", () => {
  const relays = relaysFor({ ...single, redisClusterNodes: [] });

  it("puts every host in round robin behind the front, checked on /api/health, and relays on the gateway", () => {
    const text = frontConfig({ frontPort: 3540, statsPort: 3541, hosts: [hostAddress(1), hostAddress(2)], relays });
    expect(text).toContain("bind 127.0.0.1:3540");
    expect(text).toContain("balance roundrobin");
    expect(text).toContain("option httpchk GET /api/health");
    expect(text).toContain(`server host-1 10.77.0.11:${HOST_WEB_PORT}`);
    expect(text).toContain(`server host-2 10.77.0.12:${HOST_WEB_PORT}`);
    expect(text).toContain("bind 10.77.0.1:3550\n    server postgresql 127.0.0.1:5432");
    expect(text).not.toMatch(/\{\{\w+\}\}/);
  });

  it("gives each host the service addresses of one machine, leading to the gateway", () => {
    const text = sidecarConfig(relays);
    expect(text).toContain("bind 127.0.0.1:5432\n    server gateway 10.77.0.1:3550");
    expect(text).toContain("bind 127.0.0.1:6379\n    server gateway 10.77.0.1:3551");
    expect(text).not.toMatch(/\{\{\w+\}\}/);
  });
});
