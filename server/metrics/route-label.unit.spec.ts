import { describe, expect, it } from "vitest";
import { appRoutePatterns, createRouteOf } from "./route-label";

describe("the route label of a request's duration", () => {
  const routeOf = createRouteOf({
    pages: ["/", "/products/[slug]", "/admin/sagas/[sagaId]", "/docs/[...path]", "/help/[[...topic]]", "/api/trpc/[trpc]"],
    procedures: ["catalog.list", "checkout.start", "admin.sagas.list"],
    exact: ["/api/metrics"],
  });

  it.each([
    ["/", "/"],
    ["/products/pink-unicorn", "/products/[slug]"],
    ["/products/rainbow-unicorn/", "/products/[slug]"],
    ["/products/a/b", "other"],
    ["/admin/sagas/83da3a7e-0000-4000-8000-000000000000", "/admin/sagas/[sagaId]"],
    ["/docs/a/b/c", "/docs/[...path]"],
    ["/docs", "other"],
    ["/help", "/help/[[...topic]]"],
    ["/help/x/y", "/help/[[...topic]]"],
    ["/api/trpc/checkout.start", "checkout.start"],
    ["/api/trpc/admin.sagas.list", "admin.sagas.list"],
    ["/api/trpc/no.such.procedure", "other"],
    ["/api/trpc/catalog.list,checkout.start", "trpc-batch"],
    ["/api/metrics", "/api/metrics"],
    ["/_next/static/chunks/main-abc123.js", "static"],
    ["/wp-login.php", "other"],
    ["/products.", "other"],
  ])("%s → %s", (pathname, route) => {
    expect(routeOf(pathname)).toBe(route);
  });

  it("reads the shop's pages from app/, groups and private folders left out of the URL", () => {
    const patterns = appRoutePatterns();
    expect(patterns).toContain("/");
    expect(patterns).toContain("/products/[slug]");
    expect(patterns).toContain("/admin/sagas/[sagaId]");
    expect(patterns.some((pattern) => pattern.includes("/_") || pattern.includes("("))).toBe(false);
  });
});
