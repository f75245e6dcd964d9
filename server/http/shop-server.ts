import http from "node:http";
import path from "node:path";
import compression from "compression";
import next from "next";
import { signInPathFor } from "@/app/_lib/safe-redirect";
import { appRouter } from "@/server/api/root";
import { watchForDatabaseReturn } from "@/server/database-availability";
import { pool } from "@/server/db";
import { env } from "@/server/env";
import { logger } from "@/server/logger";
import { createRequestTimer } from "@/server/metrics/http-request-timer";
import { answerMetrics, METRICS_PATH } from "@/server/metrics/metrics-endpoint";
import { publishSharedMetrics } from "@/server/metrics/publish-shared-metrics";
import { appRoutePatterns, createRouteOf, type RouteOf } from "@/server/metrics/route-label";
import { CHECKOUT_SAGA_TYPE } from "@/server/retail/checkout/checkout-saga";
import { pageAnswerPolicy } from "./content-security-policy";
import { databaseAwayPagePolicy, withDatabaseAwayPage } from "./database-away-page";
import {
  bodyTooLargeMessage,
  CROSS_SITE_MESSAGE,
  declaresBodyOver,
  isCrossSiteMutation,
  isHttps,
  limitBodyBytes,
  refuseAsText,
  securityHeaders,
} from "./front-door";
import { answerHealth, HEALTH_PATH } from "./health";
import { hasSessionCookie } from "./node-session";
import { handleTrpcOverNode, refuseTrpcRequest, TRPC_PREFIX } from "./trpc-over-node";

/**
 * Pages the same for everyone that show a customer their own data, fetched in the browser (app/points): a visitor with
 * no session cookie at all is sent to sign in before the page, as the pages rendered per customer do themselves; a
 * cookie that no longer opens to anyone is found out by the API, and the page then sends the visitor to sign in.
 */
const PAGES_FOR_CUSTOMERS = new Set(["/points"]);

const NEXT_FILES_PREFIX = "/_next/static/";

/** How often, while PostgreSQL is away, the web server asks whether it is back. */
const DATABASE_RECHECK_INTERVAL_MS = 1_000;

/**
 * The shop's web server: Next renders the pages and serves their assets; the API (/api/trpc/…) is answered in front
 * of Next (see trpc-over-node.ts). Pages still call procedures directly, in process; while PostgreSQL is away the
 * pages rendered per request answer 503 (see database-away-page.ts).
 */
export async function startShopServer(options: { port: number; hostname: string }): Promise<http.Server> {
  const app = next({ dev: false, dir: path.resolve(__dirname, "..", ".."), hostname: options.hostname, port: options.port });
  const renderWithNext = app.getRequestHandler();
  await app.prepare();

  // Pages answer 503 while PostgreSQL is away (database-away-page.ts); this pool's SELECT 1 finds it back.
  watchForDatabaseReturn({ probe: () => pool.query("SELECT 1"), intervalMs: DATABASE_RECHECK_INTERVAL_MS });

  // What this process counted (request durations, checkouts started) joins the other processes' totals in Redis.
  const publishing = setInterval(() => {
    publishSharedMetrics().catch((error: unknown) => logger.warn({ err: error }, "Could not publish this process's metrics"));
  }, env.METRICS_PUBLISH_INTERVAL_MS);
  publishing.unref();

  const server = http.createServer(
    shopRequestListener({ renderWithNext, appUrl: env.APP_URL, bodyLimitBytes: env.REQUEST_BODY_LIMIT_BYTES, metricsToken: env.METRICS_TOKEN }),
  );
  // Keep-alive connections from a load balancer outlive Node's 5 s default.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, resolve);
  });
  return server;
}

/**
 * Every request, at the door (front-door.ts): the security headers, a refusal of a mutation from another site and of
 * a body over the limit; then the API, or Next with whatever it answers. Separate from Next's start so that tests can
 * put anything in Next's place.
 */
export function shopRequestListener(options: {
  renderWithNext: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  appUrl: string;
  bodyLimitBytes: number;
  /** GET /api/metrics' bearer token (server/metrics); none: there is no such endpoint and Next answers its 404. */
  metricsToken?: string;
  /** How a request is named in its duration's route label (default: the app's pages and the router's procedures). */
  routeOf?: RouteOf;
}): http.RequestListener {
  const headers = Object.entries(securityHeaders(options.appUrl));
  const https = isHttps(options.appUrl);
  const namePageCode = pageAnswerPolicy(https);
  const compressNextAnswer = compressionOfNextAnswers();
  const awayPageHeaders = headers.map(([name, value]): [string, string] => [name, name === "content-security-policy" ? databaseAwayPagePolicy(https) : value]);
  const appOrigin = new URL(options.appUrl).origin;
  const tooLarge = bodyTooLargeMessage(options.bodyLimitBytes);
  const timeRequest = createRequestTimer(options.routeOf ?? shopRouteOf());
  const { metricsToken } = options;

  return (req, res) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    const pathname = pathnameOf(req.url);
    // Before the request timer: the load balancer's checks are not shop traffic (health.ts).
    if (pathname === HEALTH_PATH && (req.method === "GET" || req.method === "HEAD")) return answerHealth(req, res);
    timeRequest(req, res, pathname);
    const isApi = pathname.startsWith(TRPC_PREFIX);
    // Every API answer is someone's (a wallet, a session cookie) or may be: never kept by a browser or a proxy.
    if (isApi) res.setHeader("cache-control", "no-store");
    let cutOff = false;
    const refuse = (status: 403 | 413, message: string) =>
      isApi ? refuseTrpcRequest(req, res, { status, code: status === 403 ? "FORBIDDEN" : "PAYLOAD_TOO_LARGE", message }) : refuseAsText(req, res, status, message);

    if (isCrossSiteMutation(req, appOrigin)) return refuse(403, CROSS_SITE_MESSAGE);
    if (declaresBodyOver(req, options.bodyLimitBytes)) return refuse(413, tooLarge);
    limitBodyBytes(req, options.bodyLimitBytes, () => {
      cutOff = true;
      refuse(413, tooLarge);
    });

    // Before Next, compression and the page policy: a scrape costs what its figures cost (metrics-endpoint.ts).
    if (metricsToken !== undefined && pathname === METRICS_PATH) {
      answerMetrics(req, res, { token: metricsToken, sagaTypes: [CHECKOUT_SAGA_TYPE] }).catch((error: unknown) => {
        logger.error({ err: error }, "A metrics scrape failed");
        res.destroy();
      });
      return;
    }
    if (PAGES_FOR_CUSTOMERS.has(pathname) && !hasSessionCookie(req)) {
      res.writeHead(307, { location: signInPathFor(pathname) });
      res.end();
      return;
    }
    if (!isApi) {
      // Compression first: a page's policy is written from its whole body, which only a wrapper above compression sees.
      compressNextAnswer(req, res);
      // Next's built files (scripts, styles, images) carry no inline code to name.
      if (!pathname.startsWith(NEXT_FILES_PREFIX)) namePageCode(req, res);
    }
    const answered = isApi ? handleTrpcOverNode(req, res) : options.renderWithNext(req, withDatabaseAwayPage(res, awayPageHeaders));
    answered.catch((error: unknown) => {
      // A body cut off at the limit ends its reader with an error; the 413 has been answered already.
      if (cutOff) return;
      logger.error({ err: error, url: req.url }, "a request failed outside the shop's error handling");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Something went wrong on our side. Please try again.");
    });
  };
}

/**
 * The compression Next would apply itself (the same middleware; next.config.js turns Next's off), put on the answer
 * here so that the door's content policy (content-security-policy.ts) sees the body before it is compressed.
 */
function compressionOfNextAnswers(): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const middleware = compression() as unknown as (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;
  return (req, res) => middleware(req, res, () => {});
}

/** The route labels of the shop's own pages and procedures, read once (route-label.ts). */
function shopRouteOf(): RouteOf {
  return createRouteOf({ pages: appRoutePatterns(), procedures: Object.keys(appRouter._def.procedures), exact: [METRICS_PATH] });
}

function pathnameOf(url: string | undefined): string {
  const end = url?.search(/[?#]/) ?? -1;
  return (end === -1 ? url : url?.slice(0, end)) ?? "/";
}
