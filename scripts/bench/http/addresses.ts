import { trpcData, trpcError, trpcQueryPath } from "../lib/http-client";
import { FRESH_KEY, type LoadTarget } from "../lib/http-load";

/** The addresses the HTTP bench measures, what each must answer, and the share of the static asset's req/s it aims at. */

export const ADDRESS_NAMES = ["static", "catalog", "product", "catalog.list", "checkout.start", "checkout.status", "wallet.get", "points", "points.data"] as const;
export type AddressName = (typeof ADDRESS_NAMES)[number];

/** The product whose page is measured, and which is sold out (on_hand = reserved) before checkout.start is. */
export const SOLD_OUT_SLUG = "classic-unicorn";

export type Address = {
  name: AddressName;
  /** Method and path, as the tables show it. */
  title: string;
  target: LoadTarget;
  signedIn: boolean;
  /** The least share of the static asset's req/s it should reach; null for the static asset itself. */
  targetRatio: number | null;
  /** What its first answer must show beyond its status: null when it does, else what is wrong. */
  check: (body: unknown) => string | null;
};

/** Where the bench points and as whom: the shopper's session cookie and a checkout of theirs that completed. */
export type AddressContext = { port: number; staticAssetPath: string; cookie: string; checkoutId: string };

const PAGE = { accept: "text/html" };
const API = { accept: "application/json" };
/** A shop front and its API that keep up with half the static asset's rate; a shopper's own pages a quarter. */
const SHOP_FRONT_TARGET = 0.5;
const SIGNED_IN_TARGET = 0.25;

/** What the points page asks the API for, batched as tRPC's httpBatchLink sends it: the summary, the lots, the chart. */
const POINTS_DASHBOARD_BATCH = `/api/trpc/loyalty.summary,loyalty.lots,loyalty.history?batch=1&input=${encodeURIComponent(
  JSON.stringify({ 2: { json: { limit: 100 } } }),
)}`;

/** Every address, the static asset first (the others are compared to it). */
export function benchAddresses(context: AddressContext): Address[] {
  const { port, cookie } = context;
  const address = (
    name: AddressName,
    target: Omit<LoadTarget, "port" | "headers"> & { headers: Record<string, string>; cookie?: string },
    targetRatio: number | null,
    check: Address["check"],
  ): Address => {
    const { cookie: sessionCookie, ...rest } = target;
    return {
      name,
      title: `${target.method} ${target.path.replace(/\?.*$/, "?input=…")}`,
      target: { ...rest, port, headers: { ...target.headers, ...(sessionCookie ? { cookie: sessionCookie } : {}) } },
      signedIn: sessionCookie !== undefined,
      targetRatio,
      check,
    };
  };
  const includes = (text: string) => (body: unknown) =>
    typeof body === "string" && body.includes(text) ? null : `the page does not say "${text}"`;
  return [
    address("static", { method: "GET", path: context.staticAssetPath, headers: {}, expectedStatus: 200 }, null, (body) =>
      typeof body === "string" && body.length > 0 ? null : "empty",
    ),
    address("catalog", { method: "GET", path: "/", headers: PAGE, expectedStatus: 200 }, SHOP_FRONT_TARGET, includes("Classic Unicorn")),
    address(
      "product",
      { method: "GET", path: `/products/${SOLD_OUT_SLUG}`, headers: PAGE, expectedStatus: 200 },
      SHOP_FRONT_TARGET,
      // The stock is no longer in the page (it is live in the browser); the product is.
      includes("Classic Unicorn"),
    ),
    address("catalog.list", { method: "GET", path: "/api/trpc/catalog.list", headers: API, expectedStatus: 200 }, SHOP_FRONT_TARGET, (body) => {
      const products = trpcData<unknown[]>(body);
      return Array.isArray(products) && products.length > 0 ? null : "no products";
    }),
    address(
      "checkout.start",
      {
        method: "POST",
        path: "/api/trpc/checkout.start",
        headers: API,
        cookie,
        bodyTemplate: JSON.stringify({ json: { productSlug: SOLD_OUT_SLUG, quantity: 1, idempotencyKey: FRESH_KEY } }),
        expectedStatus: 409,
      },
      SHOP_FRONT_TARGET,
      (body) => (trpcError(body)?.domainCode === "OUT_OF_STOCK" ? null : `not OUT_OF_STOCK: ${JSON.stringify(body).slice(0, 200)}`),
    ),
    address(
      "checkout.status",
      { method: "GET", path: trpcQueryPath("checkout.status", { checkoutId: context.checkoutId }), headers: API, cookie, expectedStatus: 200 },
      SHOP_FRONT_TARGET,
      (body) =>
        trpcData<{ status?: string }>(body)?.status === "completed" ? null : `not a completed checkout: ${JSON.stringify(body).slice(0, 200)}`,
    ),
    address("wallet.get", { method: "GET", path: "/api/trpc/wallet.get", headers: API, cookie, expectedStatus: 200 }, SIGNED_IN_TARGET, (body) =>
      typeof trpcData<{ balanceCents?: number }>(body)?.balanceCents === "number" ? null : "no balance",
    ),
    address("points", { method: "GET", path: "/points", headers: PAGE, cookie, expectedStatus: 200 }, SIGNED_IN_TARGET, includes("Your points")),
    address(
      "points.data",
      { method: "GET", path: POINTS_DASHBOARD_BATCH, headers: API, cookie, expectedStatus: 200 },
      SIGNED_IN_TARGET,
      (body) => (Array.isArray(body) && body.length === 3 && body.every((answer) => trpcData(answer) !== undefined) ? null : "not three answers"),
    ),
  ];
}
