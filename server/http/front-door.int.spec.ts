import http from "node:http";
import type { AddressInfo } from "node:net";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BATCH_CALLS } from "@/server/api/trpc-request-rules";
import { disconnectDb } from "@/server/db";
import { signUpStaffMember, signUpTestCustomer, TEST_PASSWORD, truncateShop } from "@/server/testing/database";
import { shopRequestListener } from "./shop-server";

/**
 * The web server's door over real HTTP: the shop's own request listener with the real API, and a stand-in for Next
 * that reads whatever body it is given (as a server action would) and says how much it got.
 */
const APP_URL = "http://shop.test:3000";
const LIMIT = 4_096;
let origin = "";
let cookie = "";
let staffCookie = "";
let nextReads = 0;

const server = http.createServer(
  shopRequestListener({
    appUrl: APP_URL,
    bodyLimitBytes: LIMIT,
    renderWithNext: async (req, res) => {
      nextReads += 1;
      let bytes = 0;
      for await (const chunk of req) bytes += (chunk as Buffer).length;
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`Next read ${bytes} bytes`);
    },
  }),
);

type Answer = { status: number; headers: http.IncomingHttpHeaders; text: string };

/**
 * One request over a connection of its own. `chunks` are written one at a time (chunked, unless a content-length is
 * given), each after the previous has gone; writing stops as soon as an answer arrives, as a real client's would.
 */
function send(options: { method?: string; path: string; headers?: Record<string, string>; chunks?: (string | Buffer)[] }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(`${origin}${options.path}`, { method: options.method ?? "POST", headers: options.headers, agent: false }, (res) => {
      answered = true;
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      res.on("error", reject);
    });
    // The door may close the connection on a body it will not read: that is the point, not a failure.
    req.on("error", (error) => answered || reject(error));
    const chunks = [...(options.chunks ?? [])];
    const writeNext = () => {
      const chunk = chunks.shift();
      if (answered || req.destroyed) return;
      if (chunk === undefined) return void req.end();
      req.write(chunk, () => setTimeout(writeNext, 2));
    };
    req.flushHeaders();
    writeNext();
  });
}

const json = (value: unknown) => JSON.stringify(superjson.serialize(value));
const JSON_TYPE = { "content-type": "application/json" };
/** The message of a tRPC error answer. */
const messageOf = (answer: Answer) => (JSON.parse(answer.text) as { error: { json: { message: string } } }).error.json.message;

beforeAll(async () => {
  await truncateShop();
  const customer = await signUpTestCustomer({ email: "door@unicorn.test" });
  const staff = await signUpStaffMember("admin");
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signInAs = async (email: string) => {
    const answer = await send({ path: "/api/trpc/auth.signIn", headers: JSON_TYPE, chunks: [json({ email, password: TEST_PASSWORD })] });
    expect(answer.status, answer.text).toBe(200);
    return String(answer.headers["set-cookie"]![0]!.split(";")[0]);
  };
  cookie = await signInAs(customer.email);
  staffCookie = await signInAs(staff.email);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await disconnectDb();
});

describe("security headers", () => {
  it("are on every answer: pages, the API, refusals", async () => {
    const answers = [
      await send({ method: "GET", path: "/" }),
      await send({ method: "GET", path: "/api/trpc/catalog.list" }),
      await send({ path: "/api/trpc/auth.signOut", headers: { "content-type": "text/plain" }, chunks: ["{}"] }),
    ];
    for (const answer of answers) {
      expect(answer.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(answer.headers["content-security-policy"]).toContain("default-src 'self'");
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(answer.headers["x-frame-options"]).toBe("DENY");
      expect(answer.headers["referrer-policy"]).toBe("same-origin");
      // Served over http here: no HSTS (see front-door.unit.spec.ts for https).
      expect(answer.headers["strict-transport-security"]).toBeUndefined();
    }
  });

  it("keep every API answer out of caches, signed in or not", async () => {
    const signedIn = await send({ method: "GET", path: "/api/trpc/wallet.get", headers: { cookie } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers["cache-control"]).toBe("no-store");
    const adminView = await send({ method: "GET", path: "/api/trpc/admin.sagas.list?input=" + encodeURIComponent(json({})), headers: { cookie: staffCookie } });
    expect(adminView.headers["cache-control"]).toBe("no-store");
    expect((await send({ method: "GET", path: "/api/trpc/catalog.list" })).headers["cache-control"]).toBe("no-store");
  });
});

describe("request bodies over the limit (413)", () => {
  const big = "x".repeat(LIMIT + 1);

  it("are refused on the API by their Content-Length, before a byte is read", async () => {
    const answer = await send({ path: "/api/trpc/auth.signIn", headers: { ...JSON_TYPE, "content-length": String(30_000_000) } });
    expect(answer.status).toBe(413);
    expect(messageOf(answer)).toBe("This request's body is larger than the shop accepts (4 kB at most).");
    expect(answer.headers.connection).toBe("close");
  });

  it("are refused on the API when they arrive in chunks with no length, once the count passes the limit", async () => {
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(1_024, 0x20));
    const answer = await send({ path: "/api/trpc/auth.signIn", headers: JSON_TYPE, chunks });
    expect(answer.status).toBe(413);
    expect(messageOf(answer)).toMatch(/larger than the shop accepts/);
  });

  it("are refused before Next, by Content-Length or by count", async () => {
    const readsBefore = nextReads;
    const declared = await send({ path: "/", headers: { "content-type": "text/plain", "content-length": String(LIMIT + 1) } });
    expect(declared).toMatchObject({ status: 413, text: "This request's body is larger than the shop accepts (4 kB at most)." });
    expect(nextReads).toBe(readsBefore);

    const counted = await send({ path: "/", headers: { "content-type": "text/plain" }, chunks: Array.from({ length: 20 }, () => Buffer.alloc(1_024)) });
    expect(counted.status).toBe(413);
    expect(counted.text).toMatch(/larger than the shop accepts/);
  });

  it("leave a body within the limit alone, on both doors", async () => {
    const page = await send({ path: "/", headers: { "content-type": "text/plain" }, chunks: [big.slice(0, LIMIT)] });
    expect(page).toMatchObject({ status: 200, text: `Next read ${LIMIT} bytes` });
    const api = await send({ path: "/api/trpc/auth.signIn", headers: JSON_TYPE, chunks: [json({ email: "door@unicorn.test", password: "wrong password!" })] });
    expect(api.status).toBe(401);
  });
});

describe("bodies that are not JSON (415)", () => {
  const form = [
    "--b\r\nContent-Disposition: form-data; name=\"filter\"\r\n\r\n{}\r\n--b--\r\n",
  ];

  it.each([
    ["multipart/form-data; boundary=b", form],
    ["application/x-www-form-urlencoded", ["filter=x"]],
    ["text/plain", ['{"json":{}}']],
    ["application/octet-stream", ["\u0000\u0001"]],
  ])("%s never reaches a procedure", async (contentType, chunks) => {
    const answer = await send({ path: "/api/trpc/admin.sagas.bulkRetry", headers: { "content-type": contentType, cookie: staffCookie }, chunks });
    expect(answer.status).toBe(415);
    expect(messageOf(answer)).toMatch(/^The API takes JSON only: send the input with Content-Type: application\/json/);
  });

  it("nor does a mutation with no Content-Type at all", async () => {
    const answer = await send({ path: "/api/trpc/auth.signOut", headers: { cookie }, chunks: ["{}"] });
    expect(answer.status).toBe(415);
    expect(messageOf(answer)).toMatch(/not no Content-Type/);
  });
});

describe("batches (400)", () => {
  const batchOf = (paths: string[]) => `/api/trpc/${paths.join(",")}?batch=1`;

  it(`hold at most ${MAX_BATCH_CALLS} calls`, async () => {
    const within = await send({ method: "GET", path: batchOf(Array(MAX_BATCH_CALLS).fill("catalog.list")) });
    expect(within.status).toBe(200);
    const over = await send({ method: "GET", path: batchOf(Array(MAX_BATCH_CALLS + 1).fill("catalog.list")) });
    expect(over.status).toBe(400);
    expect(messageOf(over)).toBe(`A batch may hold at most ${MAX_BATCH_CALLS} calls; this one held ${MAX_BATCH_CALLS + 1}. Send the rest in another request.`);
  });

  it("never carry an auth mutation with other calls: twenty password guesses are twenty requests", async () => {
    const guess = json({ email: "door@unicorn.test", password: "guess-number-one" });
    const inputs = JSON.stringify({ 0: JSON.parse(guess), 1: JSON.parse(guess) });
    const answer = await send({ path: batchOf(["auth.signIn", "auth.signIn"]), headers: JSON_TYPE, chunks: [inputs] });
    expect(answer.status).toBe(400);
    expect(messageOf(answer)).toBe("Sign-in, sign-up and sign-out cannot be batched: send each in a request of its own.");
    const mixed = await send({ path: batchOf(["wallet.topUp", "auth.signOut"]), headers: { ...JSON_TYPE, cookie }, chunks: ["{}"] });
    expect(mixed.status).toBe(400);
  });

  it("still take an auth mutation alone, as tRPC's batch link sends it", async () => {
    const answer = await send({ path: batchOf(["auth.signIn"]), headers: JSON_TYPE, chunks: [JSON.stringify({ 0: superjson.serialize({ email: "door@unicorn.test", password: "wrong password!" }) })] });
    expect(answer.status).toBe(401);
  });
});

describe("mutations from another site (403)", () => {
  const signOut = (headers: Record<string, string>) => send({ path: "/api/trpc/auth.signOut", headers: { ...JSON_TYPE, ...headers }, chunks: ["{}"] });

  it.each([
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["a look-alike Origin", { origin: "http://shop.test:3000.evil.example" }],
    ["the shop's host on another port", { origin: "http://shop.test:3001" }],
    ["Origin: null (a sandboxed frame)", { origin: "null" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site (a sibling subdomain)", { "sec-fetch-site": "same-site", origin: "http://www.shop.test:3000" }],
  ])("refuses %s", async (_name, headers) => {
    const answer = await signOut(headers);
    expect(answer.status).toBe(403);
    expect(messageOf(answer)).toMatch(/^This request came from another site, so the shop refused it/);
  });

  it.each([
    ["the shop's own Origin", { origin: APP_URL }],
    ["Sec-Fetch-Site: same-origin", { "sec-fetch-site": "same-origin", origin: "http://127.0.0.1:3000" }],
    ["neither header: a program, not a browser", {}],
  ])("lets in %s", async (_name, headers) => {
    expect((await signOut(headers)).status).toBe(200);
  });

  it("refuses a form posted to a page from elsewhere (Next's server actions), but not reading it", async () => {
    const posted = await send({ path: "/wallet", headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" }, chunks: ["a=1"] });
    expect(posted).toMatchObject({ status: 403 });
    expect(posted.text).toMatch(/came from another site/);
    const read = await send({ method: "GET", path: "/wallet", headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(read.status).toBe(200);
  });
});
