import type http from "node:http";
import { databaseTroubleSince, isDatabaseKnownAway } from "@/server/database-availability";
import { DATABASE_UNAVAILABLE_MESSAGE } from "@/server/database-unavailable";
import { contentSecurityPolicy, hashesOfInlineCode } from "./content-security-policy";

/**
 * Pages while PostgreSQL is away answer HTTP 503 with a page that says so and a Retry-After, never Next's 500.
 *
 * Why in front of Next: a page rendered per request (wallet, orders, checkout, admin) cannot choose a 503 in Next 16.
 * Its interrupts are notFound/forbidden/unauthorized, and error.tsx renders with status 500. So the web server watches
 * each page's answer: one Next is about to send as a 5xx while PostgreSQL is in trouble (away when the request came,
 * or reported away during it, see server/database-availability.ts) is replaced, headers and body, by this 503 before
 * a byte of Next's is sent. Everything else passes untouched: prerendered pages (the catalog, the products) are served
 * from Next's cache without the database, and the API answers its own 503s.
 */

/** A second or two is how long a PostgreSQL restart takes; trying sooner only adds to the crowd at the door. */
const RETRY_AFTER_SECONDS = 5;

// Plain HTML with its own few styles: it is sent without Next, so neither the layout nor the stylesheet is there.
// "Try again" is an empty link, the current address again (a GET, safe to repeat), working without JavaScript.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Back in a moment · Unicorn Retail</title>
<style>
body{margin:0;font-family:system-ui,sans-serif;color:#111827;background:#faf5ff}
main{max-width:28rem;margin:0 auto;padding:4rem 1rem;text-align:center}
a{display:inline-block;margin-top:1rem;padding:.5rem 1rem;border-radius:.5rem;background:#7c3aed;color:#fff;font-weight:600;text-decoration:none}
</style>
</head>
<body>
<main role="alert">
<h1>Back in a moment</h1>
<p>${DATABASE_UNAVAILABLE_MESSAGE}</p>
<a href="">Try again</a>
</main>
</body>
</html>
`;

/** The policy of the 503 page: its one inline style, by hash. */
export function databaseAwayPagePolicy(https: boolean): string {
  return contentSecurityPolicy({ https, hashes: hashesOfInlineCode(PAGE) });
}

const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-length": Buffer.byteLength(PAGE),
  "cache-control": "no-store",
  "retry-after": String(RETRY_AFTER_SECONDS),
};

/**
 * `res`, watched: if Next answers this request with a 5xx while PostgreSQL is in trouble, the answer becomes the 503
 * page, with `keptHeaders` (the door's security headers, their policy naming this page's style) and its own. Next
 * writes its status through writeHead (directly, or implicitly at its first write or end), so the choice is made
 * there; Next's own body is then dropped.
 */
export function withDatabaseAwayPage(res: http.ServerResponse, keptHeaders: readonly [string, string][] = []): http.ServerResponse {
  const startedAt = Date.now();
  const awayAtStart = isDatabaseKnownAway();
  const { writeHead, write, end } = res;
  let replaced = false;

  /** Whether this answer is the 503 page; decided once, when the status is about to go out. */
  const replaces = (statusCode: number) => {
    if (res.headersSent) return replaced;
    replaced = statusCode >= 500 && (awayAtStart || databaseTroubleSince(startedAt));
    if (replaced) {
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      writeHead.call(res, 503, { ...Object.fromEntries(keptHeaders), ...HEADERS });
    }
    return replaced;
  };

  res.writeHead = ((statusCode: number, ...rest: unknown[]) => {
    if (replaces(statusCode)) return res;
    return (writeHead as (...args: unknown[]) => http.ServerResponse).call(res, statusCode, ...rest);
  }) as typeof res.writeHead;
  res.write = ((...args: unknown[]) => {
    if (replaces(res.statusCode)) return true;
    return (write as (...args: unknown[]) => boolean).apply(res, args);
  }) as typeof res.write;
  res.end = ((...args: unknown[]) => {
    if (!replaces(res.statusCode)) return (end as (...args: unknown[]) => http.ServerResponse).apply(res, args);
    if (!res.writableEnded) {
      const callback = args.find((arg) => typeof arg === "function") as (() => void) | undefined;
      end.call(res, PAGE, "utf8", callback);
    }
    return res;
  }) as typeof res.end;
  return res;
}
