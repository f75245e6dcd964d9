import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiResponse } from "@/server/testing/api-client";
import { integrationServices } from "@/server/testing/test-databases";
import { startTcpProxy, type TcpProxy } from "@/server/testing/tcp-proxy";

/**
 * Each rate limit trips with a 429 that says when to try again (in the message, in `retryAfterSeconds` and in a
 * Retry-After header) and lets attempts through again once its window has passed, counted in the tests' real Redis.
 * The limits are this file's own, small and short (the rest of the suite runs with allowances it never reaches); the
 * shop's modules are loaded after REDIS_URL points at a proxy in front of that Redis, which one test cuts.
 */

const WINDOW_SECONDS = 3;
const LIMITS = {
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: `3/${WINDOW_SECONDS}s`,
  RATE_LIMIT_SIGN_IN_PER_IP: `5/${WINDOW_SECONDS}s`,
  RATE_LIMIT_SIGN_UP_PER_IP: `2/${WINDOW_SECONDS}s`,
  RATE_LIMIT_TOP_UP_PER_CUSTOMER: `2/${WINDOW_SECONDS}s`,
};

let proxy: TcpProxy;
let shop: Awaited<ReturnType<typeof loadShop>>;

async function loadShop() {
  const apiClient = await import("@/server/testing/api-client");
  const database = await import("@/server/testing/database");
  const memorySession = await import("@/server/testing/memory-session");
  const connections = await import("@/server/queues/connections");
  const db = await import("@/server/db");
  const signUp = await import("@/server/retail/customers/sign-up-customer");
  const rules = await import("@/server/retail/customers/password-rules");
  const node = await import("@/server/http/trpc-over-node");
  return { ...apiClient, ...database, ...memorySession, ...connections, ...db, ...signUp, ...rules, ...node };
}

beforeAll(async () => {
  const target = new URL(integrationServices().redisUrl);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  Object.assign(process.env, { REDIS_URL: `redis://127.0.0.1:${proxy.port}${target.pathname}`, ...LIMITS });
  shop = await loadShop();
  await shop.truncateShop();
  // Connected before the first attempt, which would otherwise be counted in memory (see rate-limits.ts).
  await shop.getReadyProducerConnection();
});

afterAll(async () => {
  await shop.closeProducerConnection();
  await shop.disconnectDb();
  await proxy.close();
});

/** Documentation addresses (RFC 5737): a network of its own for each test. */
let lastOctet = 0;
const newNetwork = () => `203.0.113.${++lastOctet}`;
const client = (ip: string, session = shop.createMemorySession()) => shop.createApiClient(session, { ip });

/** An account opened directly (no limit on the way), with the tests' password. */
async function openAccount() {
  const email = shop.uniqueEmail("limited");
  const profile = await shop.signUpCustomer({ email, name: "Limited Shopper", password: shop.TEST_PASSWORD });
  return { email, profile };
}

/** The refusal's three ways of saying when: the message, `retryAfterSeconds`, Retry-After. Returns the seconds. */
function expectRefused(response: ApiResponse, sentence: RegExp): number {
  expect(response.status, response.text).toBe(429);
  const error = response.error();
  expect(error.data.code).toBe("TOO_MANY_REQUESTS");
  expect(error.data.domainCode).toBe("RATE_LIMITED");
  expect(error.message).toMatch(sentence);
  expect(error.message).toMatch(/Try again in [1-3] seconds?\.$/);
  const seconds = error.data.retryAfterSeconds!;
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(WINDOW_SECONDS);
  expect(response.headers.get("retry-after")).toBe(String(seconds));
  return seconds;
}

const waitOut = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1_000 + 150));

describe("sign-in per account", () => {
  it("refuses the account after 3 wrong passwords from anywhere, even the right one, until the window has passed", async () => {
    const { email } = await openAccount();
    for (let i = 0; i < 3; i++) {
      expect((await client(newNetwork()).mutate("auth.signIn", { email, password: `wrong-${i}` })).status).toBe(401);
    }

    const refused = await client(newNetwork()).mutate("auth.signIn", { email: email.toUpperCase(), password: shop.TEST_PASSWORD });
    const seconds = expectRefused(refused, /^Too many failed sign-ins to this account\./);
    await waitOut(seconds);

    const signedIn = client(newNetwork());
    expect((await signedIn.mutate("auth.signIn", { email, password: shop.TEST_PASSWORD })).status).toBe(200);
    expect(await signedIn.session.customer()).not.toBeNull();
  });

  it("does not count sign-ins that succeed", async () => {
    const { email } = await openAccount();
    const network = newNetwork();
    for (let i = 0; i < 6; i++) {
      expect((await client(network).mutate("auth.signIn", { email, password: shop.TEST_PASSWORD })).status).toBe(200);
    }
  });

  it("lets no more than the allowance through when the guesses come all at once", async () => {
    const { email } = await openAccount();
    const guesses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => client(newNetwork()).mutate("auth.signIn", { email, password: `parallel-${i}` })),
    );
    expect(guesses.map((guess) => guess.status).sort()).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
  });

  it("counts a wrong current password of a password change like a wrong sign-in", async () => {
    const { email, profile } = await openAccount();
    const network = newNetwork();
    const changer = client(network, await shop.signedInMemorySession(profile.id));
    for (let i = 0; i < 3; i++) {
      const wrong = await changer.mutate("auth.changePassword", { current: `wrong-${i}`, next: "a-brand-new-secret" });
      expect(wrong.error().data.fieldErrors?.current).toEqual(["That is not your current password."]);
    }
    const refused = await changer.mutate("auth.changePassword", { current: shop.TEST_PASSWORD, next: "a-brand-new-secret" });
    expectRefused(refused, /^Too many failed sign-ins to this account\./);
    expect((await client(newNetwork()).mutate("auth.signIn", { email, password: shop.TEST_PASSWORD })).status).toBe(429);
  });
});

describe("sign-in per network", () => {
  it("refuses a network after 5 wrong sign-ins to any accounts, while other networks sign in; then lets it in again", async () => {
    const { email } = await openAccount();
    const network = newNetwork();
    for (let i = 0; i < 5; i++) {
      const guess = await client(network).mutate("auth.signIn", { email: shop.uniqueEmail("nobody"), password: "guess-guess" });
      expect(guess.status).toBe(401);
    }

    const refused = await client(network).mutate("auth.signIn", { email, password: shop.TEST_PASSWORD });
    const seconds = expectRefused(refused, /^Too many failed sign-ins from your network\./);
    expect((await client(newNetwork()).mutate("auth.signIn", { email, password: shop.TEST_PASSWORD })).status).toBe(200);
    await waitOut(seconds);

    expect((await client(network).mutate("auth.signIn", { email, password: shop.TEST_PASSWORD })).status).toBe(200);
  });

  it("counts an IPv6 network by its /64", async () => {
    for (let i = 1; i <= 5; i++) {
      const guess = await client(`2001:db8:1:2::${i}`).mutate("auth.signIn", { email: shop.uniqueEmail("nobody"), password: "guess-guess" });
      expect(guess.status).toBe(401);
    }
    const refused = await client("2001:db8:1:2:ffff::9").mutate("auth.signIn", { email: shop.uniqueEmail("nobody"), password: "guess-guess" });
    expectRefused(refused, /^Too many failed sign-ins from your network\./);
  });
});

describe("sign-up per network", () => {
  it("opens 2 accounts from a network, refuses the third until the window has passed; a refused password does not count", async () => {
    const network = newNetwork();
    const signUp = (password = shop.TEST_PASSWORD) =>
      client(network).mutate("auth.signUp", { email: shop.uniqueEmail("new"), name: "New Shopper", password });

    const common = await signUp("Password1");
    expect(common.status).toBe(400);
    expect(common.error().data.fieldErrors?.password).toEqual([shop.COMMON_PASSWORD_MESSAGE]);
    expect((await signUp()).status).toBe(200);
    expect((await signUp()).status).toBe(200);

    const seconds = expectRefused(await signUp(), /^Too many new accounts from your network\./);
    expect((await client(newNetwork()).mutate("auth.signUp", { email: shop.uniqueEmail("elsewhere"), name: "E", password: shop.TEST_PASSWORD })).status).toBe(200);
    await waitOut(seconds);

    expect((await signUp()).status).toBe(200);
  });

  it("counts a sign-up with a taken email (probing for accounts)", async () => {
    const { email } = await openAccount();
    const network = newNetwork();
    for (let i = 0; i < 2; i++) {
      expect((await client(network).mutate("auth.signUp", { email, name: "Prober", password: shop.TEST_PASSWORD })).status).toBe(409);
    }
    expectRefused(await client(network).mutate("auth.signUp", { email, name: "Prober", password: shop.TEST_PASSWORD }), /^Too many new accounts/);
  });
});

describe("top-up per customer", () => {
  it("takes 2 top-ups, refuses the third until the window has passed; a repeated request does not count", async () => {
    const { profile } = await openAccount();
    const session = await shop.signedInMemorySession(profile.id);
    const topUp = (idempotencyKey: string) => client(newNetwork(), session).mutate("wallet.topUp", { amountCents: 1_000, idempotencyKey });
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];

    expect((await topUp(first)).status).toBe(200);
    expect((await topUp(first)).data().replayed).toBe(true);
    expect((await topUp(second)).status).toBe(200);

    const seconds = expectRefused(await topUp(third), /^Too many top-ups in a short time\./);
    expect((await client(newNetwork(), session).query("wallet.get")).data().balanceCents).toBe(2_000);
    await waitOut(seconds);

    expect((await topUp(third)).status).toBe(200);
    expect((await client(newNetwork(), session).query("wallet.get")).data().balanceCents).toBe(3_000);
  });
});

describe("at the Node door", () => {
  it("counts by the socket's address, ignores X-Forwarded-For without a trusted proxy, and sends Retry-After", async () => {
    const server = http.createServer((req, res) => void shop.handleTrpcOverNode(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    // A loopback address of this test's own (any 127.x.y.z reaches the server): the Redis database is shared with the
    // rest of the suite, whose sign-ups from 127.0.0.1 count under their own, larger allowance in the same key.
    const localAddress = `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 250)}`;
    try {
      const signUp = (forwardedFor: string) =>
        new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
          const payload = JSON.stringify({ json: { email: shop.uniqueEmail("door"), name: "Door", password: shop.TEST_PASSWORD } });
          const req = http.request(
            {
              host: "127.0.0.1",
              port,
              localAddress,
              method: "POST",
              path: "/api/trpc/auth.signUp",
              headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), "x-forwarded-for": forwardedFor },
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on("data", (chunk: Buffer) => chunks.push(chunk));
              res.on("end", () =>
                resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] as string | undefined, body: Buffer.concat(chunks).toString() }),
              );
            },
          );
          req.on("error", reject);
          req.end(payload);
        });
      expect((await signUp("198.51.100.1")).status).toBe(200);
      expect((await signUp("198.51.100.2")).status).toBe(200);

      const refused = await signUp("198.51.100.3");
      expect(refused.status).toBe(429);
      const seconds = Number(refused.retryAfter);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(WINDOW_SECONDS);
      const body = JSON.parse(refused.body) as { error: { json: { message: string } } };
      expect(body.error.json.message).toMatch(/^Too many new accounts from your network\. Try again in \d seconds?\.$/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("while Redis is away", () => {
  it("still counts, in the process's memory, and refuses nobody because Redis is away", async () => {
    const { email } = await openAccount();
    await proxy.cut();
    try {
      await expect.poll(() => shop.getProducerConnection().status).not.toBe("ready");
      expect((await client(newNetwork()).mutate("auth.signIn", { email, password: shop.TEST_PASSWORD })).status).toBe(200);
      for (let i = 0; i < 3; i++) {
        expect((await client(newNetwork()).mutate("auth.signIn", { email, password: `wrong-${i}` })).status).toBe(401);
      }
      expectRefused(await client(newNetwork()).mutate("auth.signIn", { email, password: shop.TEST_PASSWORD }), /^Too many failed sign-ins to this account\./);
    } finally {
      await proxy.restore();
    }
    await shop.getReadyProducerConnection(10_000);
  });
});
