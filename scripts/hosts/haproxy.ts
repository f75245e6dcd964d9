import path from "node:path";
import { BenchConfigError } from "../bench/lib/bench-env";
import { fillTemplate } from "../front/front-door";
import { GATEWAY, type HostAddress } from "./network";

/**
 * HAProxy's configurations for several hosts, from the two templates beside this file: the front (root namespace:
 * the shop's one address in `mode http`, its stats page, and `mode tcp` relays on the gateway to PostgreSQL and
 * Redis on 127.0.0.1) and each host's sidecar (inside its namespace: 127.0.0.1:<service port> to the gateway's relay).
 */

/** A TCP service the hosts reach: where it listens here (127.0.0.1:port) and the gateway port relaying to it. */
export type Relay = { name: string; port: number; gatewayPort: number };

/** The web server's port inside each host (its own network stack: it can be the same on every host). */
export const HOST_WEB_PORT = 3580;

/**
 * The services to relay: PostgreSQL, then one Redis or every Redis Cluster node, on consecutive gateway ports from
 * `firstGatewayPort` (within the hosts' range, 3500–3599).
 */
export function relaysFor(options: { databaseUrl: string; redisUrl: string; redisClusterNodes: string[]; firstGatewayPort: number }): Relay[] {
  const portOf = (url: string, fallback: number) => Number(new URL(url).port || fallback);
  const redisPorts = options.redisClusterNodes.length > 0 ? options.redisClusterNodes.map(localPort) : [portOf(options.redisUrl, 6379)];
  const services = [
    { name: "postgresql", port: portOf(options.databaseUrl, 5432) },
    ...redisPorts.map((port, index) => ({ name: options.redisClusterNodes.length > 0 ? `redis-node-${index + 1}` : "redis", port })),
  ];
  return services.map((service, index) => ({ ...service, gatewayPort: options.firstGatewayPort + index }));
}

/** `127.0.0.1:7100` → 7100; anything not on 127.0.0.1 is refused (the relays lead to this machine's loopback). */
function localPort(node: string): number {
  const match = /^127\.0\.0\.1:(\d+)$/.exec(node.trim());
  if (!match) throw new BenchConfigError(`REDIS_CLUSTER_NODES entries must be 127.0.0.1:<port> for the hosts' relays, not "${node}"`);
  return Number(match[1]);
}

export function frontConfig(options: { frontPort: number; statsPort: number; hosts: readonly HostAddress[]; relays: readonly Relay[] }): string {
  return fillTemplate(path.join(__dirname, "haproxy-front.cfg.template"), {
    FRONT_PORT: String(options.frontPort),
    STATS_PORT: String(options.statsPort),
    SERVERS: options.hosts.map((host) => `    server host-${host.n} ${host.address}:${HOST_WEB_PORT}`).join("\n"),
    RELAYS: options.relays
      .map((relay) => `listen relay-${relay.name}\n    mode tcp\n    bind ${GATEWAY}:${relay.gatewayPort}\n    server ${relay.name} 127.0.0.1:${relay.port}`)
      .join("\n\n"),
  });
}

export function sidecarConfig(relays: readonly Relay[]): string {
  return fillTemplate(path.join(__dirname, "haproxy-sidecar.cfg.template"), {
    RELAYS: relays
      .map((relay) => `listen ${relay.name}\n    bind 127.0.0.1:${relay.port}\n    server gateway ${GATEWAY}:${relay.gatewayPort}`)
      .join("\n\n"),
  });
}
