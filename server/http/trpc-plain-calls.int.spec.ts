import http from "node:http";
import type { AddressInfo } from "node:net";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/server/db";
import { createTestProduct, signUpTestCustomer, TEST_PASSWORD, truncateShop } from "@/server/testing/database";
import { answerWithTrpcAdapter, handleTrpcOverNode, TRPC_PREFIX } from "./trpc-over-node";

/**
 * The plain-call path answers exactly as tRPC's own Node adapter would: the same request, sent once to each (two
 * paths of one test server), gives the same status, content type and body, for answers and for every kind of error.
 */
let origin = "";
let cookie = "";
/** Who answered the last request sent to the shop's own path. */
let lastAnsweredBy: "plain call" | "adapter" | "refused" | undefined;
const server = http.createServer((req, res) => {
  const viaAdapter = req.url!.startsWith("/adapter/");
  if (viaAdapter) req.url = req.url!.slice("/adapter".length);
  const path = decodeURIComponent(new URL(req.url!, origin).pathname.slice(TRPC_PREFIX.length));
  const answered = viaAdapter ? answerWithTrpcAdapter(req, res, path) : handleTrpcOverNode(req, res).then((by) => void (lastAnsweredBy = by));
  answered.catch((error: unknown) => {
    res.writeHead(599);
    res.end(String(error));
  });
});

type Sent = { method: "GET" | "POST"; path: string; body?: string; contentType?: string; signedIn?: boolean };
type Answer = { status: number; contentType: string | null; body: unknown; setsCookie: boolean };

async function send(prefix: "" | "/adapter", request: Sent): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (request.contentType ?? (request.method === "POST" ? "application/json" : undefined)) {
    headers["content-type"] = request.contentType ?? "application/json";
  }
  if (request.signedIn) headers.cookie = cookie;
  const response = await fetch(`${origin}${prefix}${TRPC_PREFIX}${request.path}`, { method: request.method, headers, body: request.body });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: compared as text
  }
  return { status: response.status, contentType: response.headers.get("content-type"), body, setsCookie: response.headers.has("set-cookie") };
}

const input = (value: unknown) => encodeURIComponent(JSON.stringify(superjson.serialize(value)));
const body = (value: unknown) => JSON.stringify(superjson.serialize(value));

beforeAll(async () => {
  await truncateShop();
  await createTestProduct({ slug: "plain-unicorn", onHand: 0 });
  const customer = await signUpTestCustomer({ email: "plain@unicorn.test" });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signIn = await fetch(`${origin}${TRPC_PREFIX}auth.signIn`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body({ email: customer.email, password: TEST_PASSWORD }),
  });
  expect(signIn.status).toBe(200);
  cookie = signIn.headers.getSetCookie()[0]!.split(";")[0]!;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await disconnectDb();
});

/** Requests the plain-call path answers itself, then those it hands to tRPC's adapter. */
const PLAIN: [string, Sent][] = [
  ["a query with no input", { method: "GET", path: "catalog.list" }],
  ["a query with input", { method: "GET", path: `catalog.get?input=${input({ slug: "plain-unicorn" })}` }],
  ["a batch of queries", { method: "GET", path: `catalog.list,catalog.get?batch=1&input=${encodeURIComponent(JSON.stringify({ 1: superjson.serialize({ slug: "plain-unicorn" }) }))}` }],
  ["a batch with an answer and an error (207)", { method: "GET", path: `catalog.get,catalog.get?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: superjson.serialize({ slug: "plain-unicorn" }), 1: superjson.serialize({ slug: "nope" }) }))}` }],
  ["a query refusing its input (400)", { method: "GET", path: `catalog.get?input=${input({ slug: 42 })}` }],
  ["a domain error (404)", { method: "GET", path: `catalog.get?input=${input({ slug: "no-such-unicorn" })}` }],
  ["a signed-in query", { method: "GET", path: "wallet.get", signedIn: true }],
  ["a signed-in query without a session (401)", { method: "GET", path: "wallet.get" }],
  [
    "a sold-out checkout.start (409)",
    { method: "POST", path: "checkout.start", signedIn: true, body: body({ productSlug: "plain-unicorn", quantity: 1, idempotencyKey: "plain-calls-1" }) },
  ],
  ["a mutation refusing its input", { method: "POST", path: "checkout.start", signedIn: true, body: body({ productSlug: "", quantity: 0 }) }],
];
const HANDED_ON: [string, Sent][] = [
  ["a mutation with a body that is not JSON", { method: "POST", path: "checkout.start", signedIn: true, body: "{not json" }],
  ["a mutation sent by GET", { method: "GET", path: "checkout.start", signedIn: true }],
  ["a query sent by POST", { method: "POST", path: "catalog.list", body: "{}" }],
  ["an unknown procedure", { method: "GET", path: "catalog.nope" }],
];

describe("the plain-call path", () => {
  it.each(PLAIN)("answers %s itself, as tRPC's adapter does", async (_name, request) => {
    const [plain, adapter] = [await send("", request), await send("/adapter", request)];
    expect(lastAnsweredBy).toBe("plain call");
    expect(plain).toEqual(adapter);
    expect(plain.status).not.toBe(599);
  });

  it.each(HANDED_ON)("hands %s to tRPC's adapter, body and all", async (_name, request) => {
    const [plain, adapter] = [await send("", request), await send("/adapter", request)];
    expect(lastAnsweredBy).toBe("adapter");
    expect(plain).toEqual(adapter);
    expect(plain.status).toBeGreaterThanOrEqual(400);
  });

  it("refuses a form instead of JSON before either (see front-door.int.spec.ts)", async () => {
    const answer = await send("", { method: "POST", path: "auth.signOut", body: "a=1", contentType: "application/x-www-form-urlencoded" });
    expect(lastAnsweredBy).toBe("refused");
    expect(answer.status).toBe(415);
  });

  it("signs in and out through the same cookie as the adapter", async () => {
    const signOut = await send("", { method: "POST", path: "auth.signOut", signedIn: true, body: "{}" });
    expect(signOut).toMatchObject({ status: 200, setsCookie: true });
  });
});
