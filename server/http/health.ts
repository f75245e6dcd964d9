import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The load balancer's question "is this web process alive and taking requests?" (HAProxy's `option httpchk`, see
 * scripts/hosts). Answered at the door, before metrics, Next and the database: a check every half second per host
 * must cost next to nothing and must not count as shop traffic. It deliberately does not ask PostgreSQL: when the
 * database is away every host is equally unable, and taking them all out of rotation would turn the shop's own 503
 * page ("back in a moment") into the balancer's bare 503.
 */
export const HEALTH_PATH = "/api/health";

/** Answers a health check (GET or HEAD) with 200 "ok"; never cached, so a proxy in between cannot answer for a dead host. */
export function answerHealth(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : "ok");
}
