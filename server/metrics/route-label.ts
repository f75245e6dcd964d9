import { readdirSync } from "node:fs";
import path from "node:path";

/**
 * The route label of a request's duration (http-request-timer.ts): always one of a fixed set, never the raw URL, so
 * that a crawler walking a million product URLs adds no series (each series costs Prometheus memory for as long as
 * it keeps it). A page is named by its pattern in app/ (`/products/[slug]`), an API call by its tRPC procedure
 * (`checkout.start`) when the router has one of that name, Next's built files `static`, and anything else `other`.
 */
export type RouteOf = (pathname: string) => string;

export const STATIC_ROUTE = "static";
export const OTHER_ROUTE = "other";
/** Several procedures in one request (tRPC's batching): their names together would be unbounded. */
export const TRPC_BATCH_ROUTE = "trpc-batch";

const TRPC_PREFIX = "/api/trpc/";
const NEXT_FILES_PREFIX = "/_next/static/";

export function createRouteOf(options: { pages: readonly string[]; procedures: readonly string[]; exact?: readonly string[] }): RouteOf {
  const procedures = new Set(options.procedures);
  const exact = new Set([...options.pages.filter((page) => !page.includes("[")), ...(options.exact ?? [])]);
  const dynamic = options.pages.filter((page) => page.includes("[")).map((page) => ({ page, pattern: patternOf(page) }));
  return (pathname) => {
    if (pathname.startsWith(NEXT_FILES_PREFIX)) return STATIC_ROUTE;
    if (pathname.startsWith(TRPC_PREFIX)) {
      const name = pathname.slice(TRPC_PREFIX.length);
      if (procedures.has(name)) return name;
      return name.includes(",") ? TRPC_BATCH_ROUTE : OTHER_ROUTE;
    }
    const page = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
    if (exact.has(page)) return page;
    return dynamic.find(({ pattern }) => pattern.test(page))?.page ?? OTHER_ROUTE;
  };
}

/** `/products/[slug]` → /^\/products\/[^/]+$/; `[...all]` one or more segments, `[[...all]]` zero or more. */
function patternOf(page: string): RegExp {
  const source = page
    .split("/")
    .map((segment) => {
      if (/^\[\[\.\.\..+\]\]$/.test(segment)) return "(?:/.*)?";
      if (/^\[\.\.\..+\]$/.test(segment)) return "/.+";
      if (/^\[.+\]$/.test(segment)) return "/[^/]+";
      return segment === "" ? "" : `/${segment.replace(/[.*+?^${}()|\\]/g, "\\$&")}`;
    })
    .join("");
  return new RegExp(`^${source || "/"}$`);
}

/**
 * The page and route-handler patterns under app/ (read once, at boot): route groups `(shop)` leave the URL, private
 * folders `_x` and parallel slots `@x` are not routes of their own.
 */
export function appRoutePatterns(appDir = path.resolve(__dirname, "..", "..", "app")): string[] {
  const patterns: string[] = [];
  const walk = (dir: string, route: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && /^(page|route)\.(tsx?|jsx?)$/.test(entry.name)) patterns.push(route || "/");
      if (!entry.isDirectory() || entry.name.startsWith("_") || entry.name.startsWith("@")) continue;
      const inUrl = /^\(.+\)$/.test(entry.name) ? route : `${route}/${entry.name}`;
      walk(path.join(dir, entry.name), inUrl);
    }
  };
  walk(appDir, "");
  return [...new Set(patterns)].sort();
}
