import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { createApiClient, type ApiClient, type ApiResponse } from "@/server/testing/api-client";
import { countRows, signUpTestCustomer, TEST_PASSWORD, truncateShop, type TestCustomer, createTestProduct } from "@/server/testing/database";

/**
 * Every procedure that takes input, fed what a careless or hostile client could send. Each must answer 4xx (never
 * 500) with a message a person can act on, name the field at fault, keep its stack to itself, and write nothing.
 */

const OVERLONG = "a".repeat(10_000);
const MALFORMED_JSON = '{"json": {"amountCents": 500, ';

let customer: TestCustomer;
/** A customer with money in the wallet, so "nothing written" also means "balance unchanged". */
const OPENING_BALANCE_CENTS = 4_321;

beforeAll(async () => {
  await truncateShop();
  await createTestProduct();
  customer = await signUpTestCustomer();
  const topUp = await customer.client.mutate("wallet.topUp", {
    amountCents: OPENING_BALANCE_CENTS,
    idempotencyKey: "opening-balance",
  });
  expect(topUp.status).toBe(200);
});
afterAll(disconnectDb);

type WrittenState = {
  rows: Awaited<ReturnType<typeof countRows>>;
  balanceCents: number;
  ledger: { amountCents: number; balanceAfterCents: number }[];
  emails: string[];
};

async function writtenState(): Promise<WrittenState> {
  const wallet = await db.wallet.findUniqueOrThrow({
    where: { customerId: customer.profile.id },
    select: {
      balanceCents: true,
      entries: { select: { amountCents: true, balanceAfterCents: true }, orderBy: { balanceAfterCents: "asc" } },
    },
  });
  const emails = (await db.customer.findMany({ select: { email: true }, orderBy: { email: "asc" } })).map(
    (row) => row.email,
  );
  return { rows: await countRows(), balanceCents: wallet.balanceCents, ledger: wallet.entries, emails };
}

/** True when the text is a JSON object or array, e.g. zod's issue list serialised as a message. */
function isJsonStructure(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null;
  } catch {
    return false;
  }
}

/** The checks every refused request must pass, whatever was wrong with it. */
function expectPoliteRefusal(response: ApiResponse, mentions: RegExp): string {
  expect(response.status, response.text).toBeGreaterThanOrEqual(400);
  expect(response.status, response.text).toBeLessThan(500);
  const error = response.error();
  const message = error.message;
  expect(message.trim().length).toBeGreaterThan(0);
  // Short: never an echo of a 10k-character input.
  expect(message.length).toBeLessThan(300);
  expect(isJsonStructure(message), message).toBe(false);
  expect(message).not.toMatch(/"(code|path|expected|issues)"\s*:/);
  expect(message).toMatch(mentions);
  // No stack anywhere: not as a field, not inside the message, not as file positions.
  expect(error.data.stack).toBeUndefined();
  expect(response.text).not.toMatch(/"stack"/);
  expect(response.text).not.toMatch(/\n\s+at |\bat .*\.(ts|js|mjs|cjs):\d+/);
  expect(message).not.toBe("Something went wrong on our side. Nothing was changed; please try again.");
  return message;
}

type BadCase = {
  name: string;
  send: (client: ApiClient) => Promise<ApiResponse>;
  /** What the message must mention for a person to know what to fix. */
  mentions: RegExp;
  /** The fields that must carry an error (a field is at fault). Empty: the request as a whole is wrong. */
  fields: string[];
  status?: number;
};

function runTable(procedure: string, cases: BadCase[], makeClient: () => ApiClient) {
  describe(procedure, () => {
    it.each(cases)("$name → 4xx, readable message, nothing written", async ({ send, mentions, fields, status }) => {
      const before = await writtenState();
      const client = makeClient();
      const sessionBefore = client.session.token;

      const response = await send(client);

      if (status !== undefined) expect(response.status, response.text).toBe(status);
      expectPoliteRefusal(response, mentions);
      const fieldErrors = response.error().data.fieldErrors ?? {};
      for (const field of fields) {
        const messages = fieldErrors[field] ?? [];
        expect(messages.length, `field error on ${field}: ${response.text}`).toBeGreaterThan(0);
        for (const fieldMessage of messages) expect(fieldMessage).toMatch(/\S/);
      }
      // Only the fields at fault are blamed.
      expect(Object.keys(fieldErrors).sort()).toEqual([...fields].sort());
      expect(await writtenState()).toEqual(before);
      // A refused request never signs anyone in or out.
      expect(client.session.token).toBe(sessionBefore);
    });
  });
}

const validSignUp = { email: "new.shopper@unicorn.test", name: "New Shopper", password: TEST_PASSWORD };
const signUp = (input: unknown) => (client: ApiClient) => client.mutate("auth.signUp", input);
const anonymous = () => createApiClient();

runTable(
  "auth.signUp",
  [
    { name: "empty object", send: signUp({}), mentions: /email/i, fields: ["email", "name", "password"] },
    { name: "missing email", send: signUp({ ...validSignUp, email: undefined }), mentions: /email/i, fields: ["email"] },
    { name: "blank email", send: signUp({ ...validSignUp, email: "   " }), mentions: /email/i, fields: ["email"] },
    { name: "bad email", send: signUp({ ...validSignUp, email: "not-an-email" }), mentions: /valid email/i, fields: ["email"] },
    { name: "email without domain", send: signUp({ ...validSignUp, email: "ada@" }), mentions: /valid email/i, fields: ["email"] },
    { name: "overlong email", send: signUp({ ...validSignUp, email: `${OVERLONG}@unicorn.test` }), mentions: /email.*too long/i, fields: ["email"] },
    { name: "number for email", send: signUp({ ...validSignUp, email: 42 }), mentions: /email/i, fields: ["email"] },
    { name: "null email", send: signUp({ ...validSignUp, email: null }), mentions: /email/i, fields: ["email"] },
    { name: "array email", send: signUp({ ...validSignUp, email: ["a@unicorn.test"] }), mentions: /email/i, fields: ["email"] },
    { name: "blank name", send: signUp({ ...validSignUp, name: "  " }), mentions: /name/i, fields: ["name"] },
    { name: "overlong name", send: signUp({ ...validSignUp, name: OVERLONG }), mentions: /100 characters/i, fields: ["name"] },
    { name: "number for name", send: signUp({ ...validSignUp, name: 7 }), mentions: /name/i, fields: ["name"] },
    { name: "short password", send: signUp({ ...validSignUp, password: "short" }), mentions: /8 characters/i, fields: ["password"] },
    { name: "overlong password", send: signUp({ ...validSignUp, password: OVERLONG }), mentions: /200 characters/i, fields: ["password"] },
    { name: "number for password", send: signUp({ ...validSignUp, password: 12_345_678 }), mentions: /password/i, fields: ["password"] },
    { name: "null password", send: signUp({ ...validSignUp, password: null }), mentions: /password/i, fields: ["password"] },
    { name: "null input", send: signUp(null), mentions: /input/i, fields: [] },
    { name: "array input", send: signUp([validSignUp]), mentions: /input/i, fields: [] },
    { name: "string input", send: signUp("ada@unicorn.test"), mentions: /input/i, fields: [] },
    { name: "no input", send: signUp(undefined), mentions: /input/i, fields: [] },
    {
      name: "malformed JSON body",
      send: (client) => client.raw({ method: "POST", path: "auth.signUp", body: '{"json": {"email": "a@b.c"' }),
      mentions: /JSON/i,
      fields: [],
      status: 400,
    },
  ],
  anonymous,
);

const validSignIn = { email: "new.shopper@unicorn.test", password: TEST_PASSWORD };
const signIn = (input: unknown) => (client: ApiClient) => client.mutate("auth.signIn", input);

runTable(
  "auth.signIn",
  [
    { name: "empty object", send: signIn({}), mentions: /email/i, fields: ["email", "password"] },
    { name: "bad email", send: signIn({ ...validSignIn, email: "ada.unicorn.test" }), mentions: /valid email/i, fields: ["email"] },
    { name: "overlong email", send: signIn({ ...validSignIn, email: OVERLONG }), mentions: /email/i, fields: ["email"] },
    { name: "number for email", send: signIn({ ...validSignIn, email: 1 }), mentions: /email/i, fields: ["email"] },
    { name: "array email", send: signIn({ ...validSignIn, email: [] }), mentions: /email/i, fields: ["email"] },
    { name: "empty password", send: signIn({ ...validSignIn, password: "" }), mentions: /password/i, fields: ["password"] },
    { name: "overlong password", send: signIn({ ...validSignIn, password: OVERLONG }), mentions: /password.*too long/i, fields: ["password"] },
    { name: "number for password", send: signIn({ ...validSignIn, password: 12_345_678 }), mentions: /password/i, fields: ["password"] },
    { name: "null password", send: signIn({ ...validSignIn, password: null }), mentions: /password/i, fields: ["password"] },
    { name: "null input", send: signIn(null), mentions: /input/i, fields: [] },
    { name: "no input", send: signIn(undefined), mentions: /input/i, fields: [] },
    {
      name: "malformed JSON body",
      send: (client) => client.raw({ method: "POST", path: "auth.signIn", body: "email=a@b.c&password=x" }),
      mentions: /JSON/i,
      fields: [],
      status: 400,
    },
  ],
  anonymous,
);

const getProduct = (input: unknown) => (client: ApiClient) => client.query("catalog.get", input);

runTable(
  "catalog.get",
  [
    { name: "empty object", send: getProduct({}), mentions: /slug/i, fields: ["slug"] },
    { name: "empty slug", send: getProduct({ slug: "" }), mentions: /product address/i, fields: ["slug"] },
    { name: "upper-case slug", send: getProduct({ slug: "Classic-Unicorn" }), mentions: /product address/i, fields: ["slug"] },
    { name: "path traversal", send: getProduct({ slug: "../../etc/passwd" }), mentions: /product address/i, fields: ["slug"] },
    { name: "SQL in slug", send: getProduct({ slug: "x' OR '1'='1" }), mentions: /product address/i, fields: ["slug"] },
    { name: "overlong slug", send: getProduct({ slug: OVERLONG }), mentions: /product address/i, fields: ["slug"] },
    { name: "number for slug", send: getProduct({ slug: 12 }), mentions: /slug/i, fields: ["slug"] },
    { name: "null slug", send: getProduct({ slug: null }), mentions: /slug/i, fields: ["slug"] },
    { name: "array slug", send: getProduct({ slug: ["classic-unicorn"] }), mentions: /slug/i, fields: ["slug"] },
    { name: "null input", send: getProduct(null), mentions: /input/i, fields: [] },
    { name: "no input", send: getProduct(undefined), mentions: /input/i, fields: [] },
    { name: "unknown unicorn", send: getProduct({ slug: "no-such-unicorn" }), mentions: /couldn't find/i, fields: [], status: 404 },
    {
      name: "malformed JSON in ?input=",
      send: (client) => client.raw({ method: "GET", path: "catalog.get", search: `input=${encodeURIComponent('{"json":{"slug":')}` }),
      mentions: /JSON/i,
      fields: [],
      status: 400,
    },
  ],
  anonymous,
);

const topUp = (input: unknown) => (client: ApiClient) => client.mutate("wallet.topUp", input);
const key = "bad-input-key-1";
const signedIn = () => customer.client;

runTable(
  "wallet.topUp",
  [
    { name: "zero cents", send: topUp({ amountCents: 0, idempotencyKey: key }), mentions: /at least \$1\.00/, fields: ["amountCents"] },
    { name: "negative cents", send: topUp({ amountCents: -500, idempotencyKey: key }), mentions: /at least \$1\.00/, fields: ["amountCents"] },
    { name: "huge negative cents", send: topUp({ amountCents: -1e12, idempotencyKey: key }), mentions: /at least \$1\.00/, fields: ["amountCents"] },
    { name: "below the minimum", send: topUp({ amountCents: 99, idempotencyKey: key }), mentions: /at least \$1\.00/, fields: ["amountCents"] },
    { name: "fractional cents", send: topUp({ amountCents: 100.5, idempotencyKey: key }), mentions: /whole cents/i, fields: ["amountCents"] },
    { name: "10^12 cents", send: topUp({ amountCents: 1e12, idempotencyKey: key }), mentions: /at most \$10,000\.00/, fields: ["amountCents"] },
    { name: "2^53 cents", send: topUp({ amountCents: 2 ** 53, idempotencyKey: key }), mentions: /at most \$10,000\.00/, fields: ["amountCents"] },
    { name: "one cent over the maximum", send: topUp({ amountCents: 1_000_001, idempotencyKey: key }), mentions: /at most \$10,000\.00/, fields: ["amountCents"] },
    { name: "string for cents", send: topUp({ amountCents: "500", idempotencyKey: key }), mentions: /cents/i, fields: ["amountCents"] },
    { name: "dollar string for cents", send: topUp({ amountCents: "$5.00", idempotencyKey: key }), mentions: /cents/i, fields: ["amountCents"] },
    { name: "null cents", send: topUp({ amountCents: null, idempotencyKey: key }), mentions: /cents/i, fields: ["amountCents"] },
    { name: "array cents", send: topUp({ amountCents: [500], idempotencyKey: key }), mentions: /cents/i, fields: ["amountCents"] },
    { name: "boolean cents", send: topUp({ amountCents: true, idempotencyKey: key }), mentions: /cents/i, fields: ["amountCents"] },
    { name: "NaN cents (superjson)", send: topUp({ amountCents: Number.NaN, idempotencyKey: key }), mentions: /cents/i, fields: ["amountCents"] },
    { name: "Infinity cents (superjson)", send: topUp({ amountCents: Number.POSITIVE_INFINITY, idempotencyKey: key }), mentions: /cents/i, fields: ["amountCents"] },
    { name: "bigint cents (superjson)", send: topUp({ amountCents: 500n, idempotencyKey: key }), mentions: /cents/i, fields: ["amountCents"] },
    { name: "missing cents", send: topUp({ idempotencyKey: key }), mentions: /cents/i, fields: ["amountCents"] },
    { name: "missing key", send: topUp({ amountCents: 500 }), mentions: /idempotency key/i, fields: ["idempotencyKey"] },
    { name: "short key", send: topUp({ amountCents: 500, idempotencyKey: "abc" }), mentions: /idempotency key/i, fields: ["idempotencyKey"] },
    { name: "overlong key", send: topUp({ amountCents: 500, idempotencyKey: OVERLONG }), mentions: /idempotency key/i, fields: ["idempotencyKey"] },
    { name: "key with spaces", send: topUp({ amountCents: 500, idempotencyKey: "has spaces in it" }), mentions: /idempotency key/i, fields: ["idempotencyKey"] },
    { name: "key with a colon", send: topUp({ amountCents: 500, idempotencyKey: "other:customer:key" }), mentions: /idempotency key/i, fields: ["idempotencyKey"] },
    { name: "number for key", send: topUp({ amountCents: 500, idempotencyKey: 12_345_678 }), mentions: /idempotency key/i, fields: ["idempotencyKey"] },
    { name: "null key", send: topUp({ amountCents: 500, idempotencyKey: null }), mentions: /idempotency key/i, fields: ["idempotencyKey"] },
    { name: "both wrong", send: topUp({ amountCents: "lots", idempotencyKey: [] }), mentions: /cents.*idempotency key/i, fields: ["amountCents", "idempotencyKey"] },
    { name: "empty object", send: topUp({}), mentions: /cents/i, fields: ["amountCents", "idempotencyKey"] },
    { name: "null input", send: topUp(null), mentions: /input/i, fields: [] },
    { name: "array input", send: topUp([500, key]), mentions: /input/i, fields: [] },
    { name: "number input", send: topUp(500), mentions: /input/i, fields: [] },
    { name: "no input", send: topUp(undefined), mentions: /input/i, fields: [] },
    {
      name: "malformed JSON body",
      send: (client) => client.raw({ method: "POST", path: "wallet.topUp", body: MALFORMED_JSON }),
      mentions: /JSON/i,
      fields: [],
      status: 400,
    },
  ],
  signedIn,
);

describe("field errors", () => {
  // A form shows each of these next to its field: the same sentence twice is a glitch a shopper sees.
  it.each([
    { name: "auth.signIn with an empty array for email", path: "auth.signIn" as const, input: { email: [], password: "x" }, field: "email" },
    { name: "auth.signUp with an empty array for email", path: "auth.signUp" as const, input: { ...validSignUp, email: [] }, field: "email" },
  ])("$name lists each message once", async ({ path, input, field }) => {
    const response = await createApiClient().mutate(path, input);

    expect(response.status).toBe(400);
    const messages = response.error().data.fieldErrors?.[field] ?? [];
    expect(messages.length).toBeGreaterThan(0);
    expect(messages).toEqual([...new Set(messages)]);
  });
});

describe("requests that are not tRPC calls at all", () => {
  // The request as a whole is unreadable: the answer must still be written for a person (or a client developer),
  // not be the JavaScript engine's or a library's internal error text.
  const ENGINE_WORDING = /in JSON at position|Unexpected (token|end)|Cannot destructure|call stack|payload|TypeError|SyntaxError|undefined|null/;

  it.each([
    { name: "malformed JSON", body: MALFORMED_JSON },
    { name: "empty body", body: "" },
    { name: "body is JSON null", body: "null" },
    { name: "superjson meta that is not a tree", body: `{"json":{"amountCents":500,"idempotencyKey":"${key}"},"meta":{"values":"x"}}` },
  ])("$name → 400 with a message in plain words, nothing written", async ({ body }) => {
    const before = await writtenState();

    const response = await customer.client.raw({ method: "POST", path: "wallet.topUp", body });

    expect(response.status, response.text).toBe(400);
    expect(await writtenState()).toEqual(before);
    expect(response.error().message).not.toMatch(ENGINE_WORDING);
  });

  it.each([
    { name: "GET on a mutation", request: { method: "GET" as const, path: "wallet.topUp" }, status: 405 },
    { name: "POST on a query", request: { method: "POST" as const, path: "wallet.get", body: "{}" }, status: 405 },
    { name: "unknown procedure", request: { method: "GET" as const, path: "wallet.all" }, status: 404 },
    {
      name: "text/plain body",
      request: { method: "POST" as const, path: "wallet.topUp", body: "500", headers: { "content-type": "text/plain" } },
      status: 415,
    },
  ])("$name → $status, nothing written", async ({ request, status }) => {
    const before = await writtenState();

    const response = await customer.client.raw(request);

    expect(response.status, response.text).toBe(status);
    expect(response.error().data.stack).toBeUndefined();
    expect(await writtenState()).toEqual(before);
  });
});

describe("the wallet for visitors who are not signed in", () => {
  it("wallet.get → 401", async () => {
    const response = await createApiClient().query("wallet.get");

    expect(response.status).toBe(401);
    expectPoliteRefusal(response, /sign in/i);
    expect(response.text).not.toMatch(/balanceCents/);
  });

  it("wallet.topUp with a valid input → 401 and nothing written", async () => {
    const before = await writtenState();

    const response = await createApiClient().mutate("wallet.topUp", { amountCents: 500, idempotencyKey: "visitor-key-1" });

    expect(response.status).toBe(401);
    expectPoliteRefusal(response, /sign in/i);
    expect(await writtenState()).toEqual(before);
  });

  it("wallet.topUp naming a real customer → 401 and nothing written", async () => {
    const before = await writtenState();

    const response = await createApiClient().mutate("wallet.topUp", {
      amountCents: 500,
      idempotencyKey: "visitor-key-2",
      customerId: customer.profile.id,
    });

    expect(response.status).toBe(401);
    expect(await writtenState()).toEqual(before);
  });
});

describe("a valid request still works afterwards", () => {
  // Proves the table above ran against a live, writable API: the same customer and key now succeed.
  it("tops up once with the key every bad request used", async () => {
    const response = await customer.client.mutate("wallet.topUp", { amountCents: 500, idempotencyKey: key });

    expect(response.status).toBe(200);
    expect(response.data().replayed).toBe(false);
    const wallet = await db.wallet.findUniqueOrThrow({ where: { customerId: customer.profile.id } });
    expect(wallet.balanceCents).toBe(OPENING_BALANCE_CENTS + 500);
  });
});
