import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { createApiClient } from "@/server/testing/api-client";
import { countRows, signUpTestCustomer, TEST_PASSWORD, truncateShop, uniqueEmail } from "@/server/testing/database";
import { createMemorySession } from "@/server/testing/memory-session";

/** Anything that could be a password hash or the field carrying it. */
const SECRET_LEAK = /password_?hash|\$argon2/i;

beforeEach(truncateShop);
afterAll(disconnectDb);

describe("auth.signUp and auth.me", () => {
  it("opens an account, signs it in, and me returns the profile without the password hash", async () => {
    const client = createApiClient();
    const email = uniqueEmail("ada");

    const signUp = await client.mutate("auth.signUp", { email, name: "Ada Lovelace", password: TEST_PASSWORD });

    expect(signUp.status).toBe(200);
    expect(signUp.text).not.toMatch(SECRET_LEAK);
    const profile = signUp.data();
    expect(profile).toEqual({ id: expect.any(String), email, name: "Ada Lovelace", role: "customer" });

    // The session now names the new customer: one token handed out, and it opens to them.
    expect(client.session.writes).toBe(1);
    expect((await client.session.customer())?.id).toBe(profile.id);

    // What PostgreSQL holds: one customer with a real argon2id hash (not the password) and an empty wallet.
    const row = await db.customer.findUniqueOrThrow({ where: { id: profile.id }, include: { wallet: true } });
    expect(row).toMatchObject({ email, name: "Ada Lovelace", role: "customer" });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(TEST_PASSWORD);
    expect(row.wallet?.balanceCents).toBe(0);

    const me = await client.query("auth.me");
    expect(me.status).toBe(200);
    expect(me.text).not.toMatch(SECRET_LEAK);
    expect(me.data()).toEqual({ id: row.id, email: row.email, name: row.name, role: row.role });
  });

  it("stores the email trimmed and lower-cased, and the name trimmed", async () => {
    const client = createApiClient();
    const local = uniqueEmail("Mixed.Case").split("@")[0] ?? "x";

    const signUp = await client.mutate("auth.signUp", {
      email: `  ${local.toUpperCase()}@Unicorn.TEST  `,
      name: "  Grace Hopper  ",
      password: TEST_PASSWORD,
    });

    expect(signUp.status).toBe(200);
    const id = signUp.data().id;
    const row = await db.customer.findUniqueOrThrow({ where: { id } });
    expect(row.email).toBe(`${local.toLowerCase()}@unicorn.test`);
    expect(row.name).toBe("Grace Hopper");
    expect(signUp.data().email).toBe(row.email);
  });

  it("refuses a second account for the same email in another case with 409 and a field error on email", async () => {
    const email = uniqueEmail("twice");
    await signUpTestCustomer({ email });
    const before = await countRows();
    const second = createApiClient();

    const response = await second.mutate("auth.signUp", {
      email: `  ${email.toUpperCase()} `,
      name: "Impostor",
      password: "another-password",
    });

    expect(response.status).toBe(409);
    const error = response.error();
    expect(error.message).toBe("An account with this email already exists. Sign in instead.");
    expect(error.data.domainCode).toBe("EMAIL_TAKEN");
    expect(error.data.fieldErrors?.email).toEqual([error.message]);
    expect(error.data.stack).toBeUndefined();
    expect(response.text).not.toMatch(SECRET_LEAK);

    // Still one account (the first, untouched) and one wallet; the second visitor is not signed in.
    expect(await countRows()).toEqual(before);
    const rows = await db.customer.findMany({ where: { email: { equals: email, mode: "insensitive" } } });
    expect(rows.map((row) => [row.email, row.name])).toEqual([[email, "Test Shopper"]]);
    expect(second.session.token).toBeUndefined();
  });

  it("lets exactly one of ten simultaneous sign-ups with one email (in varying case) through", async () => {
    const email = uniqueEmail("race");
    const variants = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? email : email.toUpperCase()));

    const responses = await Promise.all(
      variants.map((variant, i) =>
        createApiClient().mutate("auth.signUp", { email: variant, name: `Racer ${i}`, password: TEST_PASSWORD }),
      ),
    );

    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array<number>(9).fill(409)]);
    for (const loser of responses.filter((r) => r.status === 409)) {
      expect(loser.error().data.fieldErrors?.email).toHaveLength(1);
    }
    expect(await db.customer.count({ where: { email } })).toBe(1);
    expect(await countRows()).toMatchObject({ customers: 1, wallets: 1 });
  });
});

describe("auth.signIn", () => {
  it("signs in with the right password, whatever the email's case", async () => {
    const { email, password, profile } = await signUpTestCustomer();
    const client = createApiClient();

    const response = await client.mutate("auth.signIn", { email: ` ${email.toUpperCase()}`, password });

    expect(response.status).toBe(200);
    expect(response.text).not.toMatch(SECRET_LEAK);
    expect(response.data()).toEqual(profile);
    expect((await client.session.customer())?.id).toBe(profile.id);
    expect((await client.query("auth.me")).data()).toEqual(profile);
  });

  it("answers a wrong password and an unknown email with the same 401 and message", async () => {
    const { email } = await signUpTestCustomer();
    const wrongPasswordClient = createApiClient();
    const unknownEmailClient = createApiClient();

    const wrongPassword = await wrongPasswordClient.mutate("auth.signIn", { email, password: "not-the-password" });
    const unknownEmail = await unknownEmailClient.mutate("auth.signIn", {
      email: uniqueEmail("nobody"),
      password: TEST_PASSWORD,
    });

    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const [a, b] = [wrongPassword.error(), unknownEmail.error()];
    expect(a.message).toBe("That email and password don't match an account.");
    expect(b.message).toBe(a.message);
    expect(b.data.domainCode).toBe(a.data.domainCode);
    expect(b.data.fieldErrors).toEqual(a.data.fieldErrors);
    expect(a.data.stack).toBeUndefined();
    // Neither attempt signed anyone in.
    expect(wrongPasswordClient.session.token).toBeUndefined();
    expect(unknownEmailClient.session.token).toBeUndefined();
    expect((await wrongPasswordClient.query("auth.me")).data()).toBeNull();
  });
});

describe("auth.signOut", () => {
  it("ends the session: me is null and the wallet needs signing in again", async () => {
    const { client } = await signUpTestCustomer();
    expect((await client.query("auth.me")).data()).not.toBeNull();

    const signOut = await client.mutate("auth.signOut");

    expect(signOut.status).toBe(200);
    expect(signOut.data()).toEqual({ signedOut: true });
    expect(client.session.cleared).toBe(true);
    expect(client.session.token).toBeUndefined();
    const me = await client.query("auth.me");
    expect(me.status).toBe(200);
    expect(me.data()).toBeNull();
    expect((await client.query("wallet.get")).status).toBe(401);
  });

  it("revokes the token itself: a copy of it kept from before the sign-out opens nothing", async () => {
    const { client } = await signUpTestCustomer();
    const copy = createApiClient(createMemorySession(client.session.token));
    expect((await copy.query("wallet.get")).status).toBe(200);

    expect((await client.mutate("auth.signOut")).status).toBe(200);

    expect((await copy.query("auth.me")).data()).toBeNull();
    expect((await copy.query("wallet.get")).status).toBe(401);
  });

  it("gives a new token at every sign-in and closes the one the request came with", async () => {
    const { email, password } = await signUpTestCustomer();
    const client = createApiClient();
    await client.mutate("auth.signIn", { email, password });
    const first = client.session.token!;

    await client.mutate("auth.signIn", { email, password });

    expect(client.session.token).not.toBe(first);
    expect((await createApiClient(createMemorySession(first)).query("auth.me")).data()).toBeNull();
    expect((await client.query("auth.me")).data()).not.toBeNull();
  });

  it("treats a session whose account no longer exists as signed out, and clears it", async () => {
    const { client: deleted, profile } = await signUpTestCustomer();
    await db.customer.delete({ where: { id: profile.id } });
    const session = deleted.session;

    const wallet = await deleted.query("wallet.get");

    expect(wallet.status).toBe(401);
    expect(wallet.error().message).toBe("Please sign in to continue.");
    expect(session.cleared).toBe(true);
    expect(session.token).toBeUndefined();
  });

  it("treats a token the shop never handed out as signed out (never a 500)", async () => {
    // E.g. a sealed cookie from before sessions were kept by the shop, or anything else a browser sends.
    const session = createMemorySession("not-a-token");
    const client = createApiClient(session);

    const me = await client.query("auth.me");
    const wallet = await client.query("wallet.get");

    expect(me.status, me.text).toBe(200);
    expect(me.data()).toBeNull();
    expect(wallet.status, wallet.text).toBe(401);
    expect(session.token).toBeUndefined();
  });
});
