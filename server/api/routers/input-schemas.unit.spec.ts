import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { signInInput, signUpInput } from "./auth.schema";
import { productSlugInput } from "./catalog.schema";
import { topUpInput } from "./wallet.schema";

function messagesOf(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

const key = "key-0123456789";

describe("topUpInput", () => {
  it.each([
    [0, "Top up at least $1.00."],
    [-500, "Top up at least $1.00."],
    [99, "Top up at least $1.00."],
    [10.5, "Amounts are whole cents; fractions of a cent are not accepted."],
    [1e12, "Top up at most $10,000.00 at a time."],
    ["100", "Enter the amount as a number of cents."],
    [null, "Enter the amount as a number of cents."],
    [Number.NaN, "Enter the amount as a number of cents."],
  ])("amountCents %j → %j", (amountCents, message) => {
    expect(messagesOf(topUpInput, { amountCents, idempotencyKey: key })).toContain(message);
  });

  it.each([100, 20_000, 1_000_000])("accepts %i cents", (amountCents) => {
    expect(topUpInput.parse({ amountCents, idempotencyKey: key })).toEqual({ amountCents, idempotencyKey: key });
  });

  it.each(["short", "has spaces in it", "x".repeat(101), "semi;colon-key"])("refuses idempotency key %j", (k) => {
    expect(messagesOf(topUpInput, { amountCents: 100, idempotencyKey: k })).toEqual([
      "The idempotency key must be 8–100 letters, digits, '-' or '_'.",
    ]);
  });
});

describe("signUpInput", () => {
  const valid = { email: "Ada@Example.com ", name: " Ada ", password: "12345678" };

  it("trims the email and name, keeps the password as typed", () => {
    expect(signUpInput.parse(valid)).toEqual({ email: "Ada@Example.com", name: "Ada", password: "12345678" });
  });

  it.each([
    [{ ...valid, password: "1234567" }, "Passwords need at least 8 characters."],
    [{ ...valid, password: "p".repeat(201) }, "Passwords can be at most 200 characters."],
    [{ ...valid, email: "ada@" }, "Enter a valid email address, like ada@example.com."],
    [{ ...valid, email: `${"a".repeat(250)}@x.io` }, "That email address is too long."],
    [{ ...valid, name: "   " }, "Enter your name."],
    [{ ...valid, name: "n".repeat(101) }, "Names can be at most 100 characters."],
    [{ ...valid, email: 42 }, "Enter your email address."],
  ])("%j → %j", (input, message) => {
    expect(messagesOf(signUpInput, input)).toContain(message);
  });
});

describe("signInInput", () => {
  it("asks for a password rather than checking its length (old accounts may predate the rule)", () => {
    expect(messagesOf(signInInput, { email: "ada@example.com", password: "" })).toEqual(["Enter your password."]);
    expect(signInInput.safeParse({ email: "ada@example.com", password: "short" }).success).toBe(true);
  });
});

describe("productSlugInput", () => {
  it.each(["classic-unicorn", "a", "unicorn-2"])("accepts %j", (slug) => {
    expect(productSlugInput.safeParse({ slug }).success).toBe(true);
  });
  it.each(["Classic", "../etc/passwd", "-x", "a--b", "x".repeat(101), ""])("refuses %j", (slug) => {
    expect(productSlugInput.safeParse({ slug }).success).toBe(false);
  });
});
