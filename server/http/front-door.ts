import type { IncomingMessage, ServerResponse } from "node:http";
import { contentSecurityPolicy } from "./content-security-policy";

/**
 * What the web server checks and adds at its door, before a request reaches the API or Next: the security headers of
 * every answer, same-origin mutations (CSRF) and a bound on request bodies. All of it is cheap (a few header reads
 * and writes per request): the front door's speed is part of the shop (README, "The front door").
 */

/** A year: the usual HSTS lifetime. No includeSubDomains: the shop does not speak for other hosts of its domain. */
const HSTS = "max-age=31536000";

/**
 * The headers every answer carries; HSTS and upgrade-insecure-requests only where the shop is served over https. The
 * policy here names no inline code: a page's answer replaces it with one that names its own (content-security-policy.ts).
 */
export function securityHeaders(appUrl: string): Readonly<Record<string, string>> {
  const https = isHttps(appUrl);
  return {
    "content-security-policy": contentSecurityPolicy({ https }),
    "x-content-type-options": "nosniff",
    // frame-ancestors' older twin, for browsers that predate it.
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    ...(https ? { "strict-transport-security": HSTS } : {}),
  };
}

export function isHttps(appUrl: string): boolean {
  return new URL(appUrl).protocol === "https:";
}

/** Methods that only read: everything else may change something, and so must come from the shop's own pages. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const CROSS_SITE_MESSAGE =
  "This request came from another site, so the shop refused it. Use the shop's own pages at its address, or send no Origin header from a program of your own.";

/**
 * Whether a request that may change something came from elsewhere (CSRF). A browser says where a request comes from:
 * `Sec-Fetch-Site` (modern browsers, not settable by a page) and `Origin` (compared with APP_URL's). Either one saying
 * "this shop" lets it in; a browser request with only foreign ones is refused. A request with neither header is not
 * a browser's (every browser sends Origin on a cross-site POST), so a program calling the API keeps working: it has
 * no cookies a page could ride on.
 */
export function isCrossSiteMutation(req: IncomingMessage, appOrigin: string): boolean {
  if (SAFE_METHODS.has(req.method ?? "GET")) return false;
  const { origin, "sec-fetch-site": fetchSite } = req.headers;
  if (origin === undefined && fetchSite === undefined) return false;
  return origin !== appOrigin && fetchSite !== "same-origin";
}

export function bodyTooLargeMessage(limitBytes: number): string {
  return `This request's body is larger than the shop accepts (${Math.floor(limitBytes / 1024)} kB at most).`;
}

/** Whether the request announces a body larger than the limit (it is then refused without reading a byte of it). */
export function declaresBodyOver(req: IncomingMessage, limitBytes: number): boolean {
  const declared = req.headers["content-length"];
  return declared !== undefined && Number(declared) > limitBytes;
}

/**
 * Counts the body's bytes as they arrive, whoever reads them (our API, tRPC's adapter or Next): once past the limit,
 * nothing more is handed on, `onTooLarge` answers, and the request is destroyed, so that a reader still waiting for
 * the rest fails instead of waiting. Node's HTTP parser hands every body chunk to the request's `push`; counting
 * there is the one place that sees a chunked body (no Content-Length) without becoming its reader.
 */
export function limitBodyBytes(req: IncomingMessage, limitBytes: number, onTooLarge: () => void): void {
  let received = 0;
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (received > limitBytes) return false;
    if (chunk !== null && chunk !== undefined) received += (chunk as Buffer).length;
    if (received <= limitBytes) return push(chunk, encoding);
    onTooLarge();
    return false;
  };
}

/** A plain-text refusal that closes the connection: a body the shop will not read is not worth waiting for. */
export function refuseAsText(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    req.destroy();
    return;
  }
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", connection: "close" });
  res.end(message, () => req.destroy());
}
