import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { logger } from "@/server/logger";
import { METRICS_CONTENT_TYPE, renderMetrics } from "./render-metrics";

/**
 * GET /api/metrics, for Prometheus and operators' own tools. Answered at the web server's door (server/http), before
 * Next, the API's rate limits and the page compression, so that a scrape costs what its figures cost and nothing
 * else. Behind a bearer token (METRICS_TOKEN): the figures say how busy the shop is, which is nobody else's business.
 * Without a token configured the door does not call this at all, and the path is Next's 404 like any unknown one.
 */
export const METRICS_PATH = "/api/metrics";

export async function answerMetrics(req: IncomingMessage, res: ServerResponse, options: { token: string; sagaTypes: readonly string[] }): Promise<void> {
  if (!hasToken(req.headers.authorization, options.token)) {
    // No detail on what was wrong (missing, malformed, wrong token): each would help a guesser.
    res.writeHead(401, { "www-authenticate": 'Bearer realm="metrics"', "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    res.end("Unauthorized");
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    res.end("Only GET and HEAD are answered here.");
    return;
  }
  let text: string;
  try {
    text = await renderMetrics({ sagaTypes: options.sagaTypes });
  } catch (error) {
    // Not expected (every source is guarded); a scrape that fails says so in the text format rather than a 500 page.
    logger.error({ err: error }, "Could not render the metrics");
    text = "# The metrics could not be gathered; see the web server's log.\nunicorn_metrics_source_up{source=\"render\"} 0\n";
  }
  res.writeHead(200, { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store", "content-length": Buffer.byteLength(text) });
  res.end(req.method === "HEAD" ? undefined : text);
}

/**
 * Whether the Authorization header carries the token, compared in constant time: both sides hashed first, so the
 * comparison neither stops at the first differing byte nor tells the token's length.
 */
export function hasToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const given = createHash("sha256").update(match?.[1] ?? "").digest();
  const expected = createHash("sha256").update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}
