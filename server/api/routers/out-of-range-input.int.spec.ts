import http from "node:http";
import type { AddressInfo } from "node:net";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/server/db";
import { handleTrpcOverNode, TRPC_PREFIX } from "@/server/http/trpc-over-node";
import { createApiClient, type ApiResponse } from "@/server/testing/api-client";
import { countRows, signUpStaffMember, signUpTestCustomer, truncateShop, type TestCustomer } from "@/server/testing/database";

/**
 * Inputs that once answered 500 (issue 14): each passed its schema and failed deep in PostgreSQL — an integer past
 * `int`, a year PostgreSQL cannot store, a NUL or a lone surrogate in text. Each is now a 400 naming the field.
 */

let customer: TestCustomer;
let admin: TestCustomer;

beforeAll(async () => {
  await truncateShop();
  customer = await signUpTestCustomer();
  admin = await signUpStaffMember("admin");
});
afterAll(disconnectDb);

const validRule = { kind: "threshold", name: "Big spender", enabled: true, priority: 5, minAmountCents: 10_000, points: 50 };

type Case = { name: string; send: () => Promise<ApiResponse>; field: string; mentions: RegExp };

const cases = (): Case[] => [
  {
    name: "loyalty.history with a cursor past PostgreSQL's integer",
    send: () => customer.client.query("loyalty.history", { cursor: 2_147_483_648 }),
    field: "cursor",
    mentions: /cursor/i,
  },
  {
    name: "loyalty.balanceAt in the year -200000",
    send: () => customer.client.query("loyalty.balanceAt", { at: "-200000-01-01T00:00:00Z" }),
    field: "at",
    mentions: /between the years 1900 and 9999/,
  },
  {
    name: "loyalty.balanceAt at the last instant JavaScript knows (a Date, via superjson)",
    send: () => customer.client.query("loyalty.balanceAt", { at: new Date(8.64e15) }),
    field: "at",
    mentions: /between the years 1900 and 9999/,
  },
  {
    name: "admin.sagas.list with a cursor in the year -200000",
    send: () =>
      admin.client.query("admin.sagas.list", { cursor: { createdAt: "-200000-01-01T00:00:00Z", id: "00000000-0000-4000-8000-000000000000" } }),
    field: "cursor",
    mentions: /between the years 1900 and 9999/,
  },
  {
    name: "admin.sagas.list filtered from the year -200000",
    send: () => admin.client.query("admin.sagas.list", { filter: { from: new Date("-200000-01-01T00:00:00Z") } }),
    field: "filter",
    mentions: /between the years 1900 and 9999/,
  },
  {
    name: "admin.sagas.list searching for a NUL",
    send: () => admin.client.query("admin.sagas.list", { filter: { search: "ada\u0000" } }),
    field: "filter",
    mentions: /characters we cannot accept/,
  },
  {
    name: "auth.signUp with a NUL in the name",
    send: () => signUpTestCustomerRaw({ email: "nul@unicorn.test", name: "Ada\u0000Lovelace", password: "correct-horse-battery" }),
    field: "name",
    mentions: /characters we cannot accept/,
  },
  {
    name: "auth.signUp with a lone surrogate in the name",
    send: () => signUpTestCustomerRaw({ email: "half@unicorn.test", name: "Ada \uD83E", password: "correct-horse-battery" }),
    field: "name",
    mentions: /characters we cannot accept/,
  },
  {
    name: "admin.audit.list for an action with a NUL",
    send: () => admin.client.query("admin.audit.list", { action: "x\u0000y" }),
    field: "action",
    mentions: /characters we cannot accept/,
  },
  {
    name: "admin.loyalty.rules.create with a priority of 3,000,000,000",
    send: () => admin.client.mutate("admin.loyalty.rules.create", { ...validRule, priority: 3_000_000_000 }),
    field: "priority",
    mentions: /priority goes up to 1,000,000/,
  },
  {
    name: "admin.loyalty.rules.create with a lone surrogate in the name",
    send: () => admin.client.mutate("admin.loyalty.rules.create", { ...validRule, name: "Double \uDE84 points" }),
    field: "name",
    mentions: /characters we cannot accept/,
  },
  {
    name: "admin.loyalty.rules.create starting in the year 20000 (a Date, via superjson)",
    send: () => admin.client.mutate("admin.loyalty.rules.create", { ...validRule, activeFrom: new Date("+020000-01-01T00:00:00Z") }),
    field: "activeFrom",
    mentions: /between the years 1900 and 9999/,
  },
  {
    name: "admin.loyalty.rules.create with a minimum purchase past PostgreSQL's integer",
    send: () => admin.client.mutate("admin.loyalty.rules.create", { ...validRule, minAmountCents: 3_000_000_000 }),
    field: "minAmountCents",
    mentions: /too large/,
  },
  {
    name: "admin.loyalty.adjust with a NUL in the reason",
    send: () =>
      admin.client.mutate("admin.loyalty.adjust", { customerEmail: customer.email, points: 5, reason: "Sorry\u0000", idempotencyKey: "adjust-nul-1" }),
    field: "reason",
    mentions: /characters we cannot accept/,
  },
];

/** auth.signUp from a session of its own (a refused sign-up must not sign the shared clients out). */
function signUpTestCustomerRaw(input: unknown): Promise<ApiResponse> {
  return createApiClient().mutate("auth.signUp", input);
}

describe("input a schema now refuses, which once answered 500", () => {
  it.each(cases().map((testCase) => [testCase.name, testCase] as const))("%s → 400 naming the field", async (_name, testCase) => {
    const before = await countRows();
    const response = await testCase.send();
    expect(response.status, response.text).toBe(400);
    const error = response.error();
    expect(error.data.domainCode).toBe("VALIDATION");
    expect(error.message).toMatch(testCase.mentions);
    expect(Object.keys(error.data.fieldErrors ?? {})).toEqual([testCase.field]);
    expect(await countRows()).toEqual(before);
  });

  it("refuses a superjson envelope whose annotations lie (a Map that is a number) with a 400 at the Node door", async () => {
    // The plain-call door reads inputs before any procedure runs: a superjson that threw there was a 500.
    const server = http.createServer((req, res) => void handleTrpcOverNode(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}${TRPC_PREFIX}`;
    try {
      const lying = JSON.stringify({ json: 0, meta: { values: ["map"] } });
      const query = await fetch(`${origin}catalog.get?input=${encodeURIComponent(lying)}`);
      expect(query.status, await query.text()).toBe(400);
      const mutation = await fetch(`${origin}auth.signIn`, { method: "POST", headers: { "content-type": "application/json" }, body: lying });
      const text = await mutation.text();
      expect(mutation.status, text).toBe(400);
      expect(text).toMatch(/could not read this request/);
      // Still read when the annotations are true.
      const honest = await fetch(`${origin}catalog.get?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ slug: "no-such-unicorn" })))}`);
      expect(honest.status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
