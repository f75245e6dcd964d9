import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { authenticateCustomer } from "@/server/retail/customers/authenticate-customer";
import { changeCustomerPassword } from "@/server/retail/customers/change-customer-password";
import { openCustomerSession } from "@/server/retail/customers/customer-sessions";
import { COMMON_PASSWORD_MESSAGE } from "@/server/retail/customers/password-rules";
import { hashPassword } from "@/server/retail/customers/passwords";
import { createApiClient, type ApiClient } from "@/server/testing/api-client";
import { signUpTestCustomer, TEST_PASSWORD, truncateShop, type TestCustomer } from "@/server/testing/database";
import { createMemorySession } from "@/server/testing/memory-session";

/**
 * Sessions that can be revoked, proved by replaying a cookie saved before the revocation: after a sign-out, a
 * password change (every other session refused, the changer's fresh one works) and "sign out everywhere".
 */

beforeEach(truncateShop);
afterAll(disconnectDb);

const NEW_PASSWORD = "a-brand-new-secret";

/** The same customer signed in on another device. */
async function anotherDevice(customer: TestCustomer): Promise<ApiClient> {
  const device = createApiClient();
  expect((await device.mutate("auth.signIn", { email: customer.email, password: customer.password })).status).toBe(200);
  return device;
}

/** A copy of a client's cookie as it is now, as an attacker (or an old tab) might have kept it. */
const savedCookie = (client: ApiClient) => createApiClient(createMemorySession(client.session.token));

/** Whether a client's cookie still opens the customer's wallet. */
async function opens(client: ApiClient): Promise<boolean> {
  const [me, wallet] = await Promise.all([client.query("auth.me"), client.query("wallet.get")]);
  expect([200, 401]).toContain(wallet.status);
  return me.data() !== null && wallet.status === 200;
}

describe("replaying a saved cookie", () => {
  it("after a sign-out: the signed-out cookie opens nothing, the customer's other devices stay signed in", async () => {
    const customer = await signUpTestCustomer();
    const phone = await anotherDevice(customer);
    const saved = savedCookie(customer.client);

    expect((await customer.client.mutate("auth.signOut")).status).toBe(200);

    expect(await opens(saved)).toBe(false);
    expect(await opens(phone)).toBe(true);
  });

  it("after a password change: every other session is refused, the changer's fresh session works", async () => {
    const customer = await signUpTestCustomer();
    const phone = await anotherDevice(customer);
    const saved = savedCookie(customer.client);
    const tokenBefore = customer.client.session.token;

    const change = await customer.client.mutate("auth.changePassword", { current: TEST_PASSWORD, next: NEW_PASSWORD });

    expect(change.status, change.text).toBe(200);
    expect(change.data()).toEqual({ changed: true });
    expect(customer.client.session.token).not.toBe(tokenBefore);
    expect(await opens(customer.client)).toBe(true);
    expect(await opens(saved)).toBe(false);
    expect(await opens(phone)).toBe(false);
    expect(await db.customerSession.count({ where: { customerId: customer.profile.id } })).toBe(1);

    const signIn = (password: string) => createApiClient().mutate("auth.signIn", { email: customer.email, password });
    expect((await signIn(TEST_PASSWORD)).status).toBe(401);
    expect((await signIn(NEW_PASSWORD)).status).toBe(200);
  });

  it("after signing out everywhere: every session of the customer, this one included, opens nothing", async () => {
    const customer = await signUpTestCustomer();
    const phone = await anotherDevice(customer);
    const saved = savedCookie(customer.client);
    const someoneElse = await signUpTestCustomer();

    const signOut = await customer.client.mutate("auth.signOutEverywhere");

    expect(signOut.status, signOut.text).toBe(200);
    expect(signOut.data()).toEqual({ signedOut: true, sessionsClosed: 2 });
    expect(customer.client.session.cleared).toBe(true);
    for (const device of [saved, phone]) expect(await opens(device)).toBe(false);
    expect(await opens(someoneElse.client)).toBe(true);
    // The password is unchanged: signing in again works.
    expect((await createApiClient().mutate("auth.signIn", { email: customer.email, password: TEST_PASSWORD })).status).toBe(200);
  });
});

describe("a sign-in racing a password change", () => {
  it("opens no session that outlives the change: a password checked before it opens nothing after it", async () => {
    const customer = await signUpTestCustomer();
    const checked = await authenticateCustomer({ email: customer.email, password: TEST_PASSWORD });
    await changeCustomerPassword({ customerId: customer.profile.id, current: TEST_PASSWORD, next: NEW_PASSWORD });

    await expect(openCustomerSession({ customerId: customer.profile.id, passwordHash: checked.passwordHash })).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    expect(await db.customerSession.count({ where: { customerId: customer.profile.id } })).toBe(0);
  });

  it("leaves only the changer's session, however the old password's sign-ins interleave with the change", async () => {
    const customer = await signUpTestCustomer();
    const devices = Array.from({ length: 12 }, () => createApiClient());
    const [signIns, change] = await Promise.all([
      Promise.all(devices.map((device) => device.mutate("auth.signIn", { email: customer.email, password: TEST_PASSWORD }))),
      customer.client.mutate("auth.changePassword", { current: TEST_PASSWORD, next: NEW_PASSWORD }),
    ]);

    expect(change.status, change.text).toBe(200);
    for (const answer of signIns) expect([200, 401], answer.text).toContain(answer.status);
    for (const device of devices) expect(await opens(device)).toBe(false);
    expect(await opens(customer.client)).toBe(true);
    expect(await db.customerSession.count({ where: { customerId: customer.profile.id } })).toBe(1);
  });

  it("lets one of two simultaneous changes from the same current password win, and refuses the other", async () => {
    const customer = await signUpTestCustomer();
    const phone = await anotherDevice(customer);
    const answers = await Promise.all([
      customer.client.mutate("auth.changePassword", { current: TEST_PASSWORD, next: NEW_PASSWORD }),
      phone.mutate("auth.changePassword", { current: TEST_PASSWORD, next: "another-new-secret" }),
    ]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    const winner = answers[0]!.status === 200 ? NEW_PASSWORD : "another-new-secret";
    expect((await createApiClient().mutate("auth.signIn", { email: customer.email, password: winner })).status).toBe(200);
    expect(await db.customerSession.count({ where: { customerId: customer.profile.id } })).toBe(2);
  });
});

describe("auth.changePassword refuses, and changes nothing", () => {
  it.each([
    { case: "a wrong current password", current: "not-my-password", next: NEW_PASSWORD, status: 401, field: "current", message: "That is not your current password." },
    { case: "a common new password", current: TEST_PASSWORD, next: "Iloveyou1", status: 400, field: "next", message: COMMON_PASSWORD_MESSAGE },
    { case: "a short new password", current: TEST_PASSWORD, next: "short", status: 400, field: "next", message: "Passwords need at least 8 characters." },
  ])("$case, with the message next to its field", async ({ current, next, status, field, message }) => {
    const customer = await signUpTestCustomer();
    const phone = await anotherDevice(customer);

    const change = await customer.client.mutate("auth.changePassword", { current, next });

    expect(change.status, change.text).toBe(status);
    expect(change.error().data.fieldErrors?.[field]).toEqual([message]);
    expect(await opens(customer.client)).toBe(true);
    expect(await opens(phone)).toBe(true);
    expect((await createApiClient().mutate("auth.signIn", { email: customer.email, password: TEST_PASSWORD })).status).toBe(200);
  });

  it("needs a signed-in customer, as does signing out everywhere", async () => {
    const visitor = createApiClient();
    expect((await visitor.mutate("auth.changePassword", { current: TEST_PASSWORD, next: NEW_PASSWORD })).status).toBe(401);
    expect((await visitor.mutate("auth.signOutEverywhere")).status).toBe(401);
  });
});

describe("common passwords", () => {
  it("are refused at sign-up, next to the password field, in any case", async () => {
    const signUp = await createApiClient().mutate("auth.signUp", { email: "common@unicorn.test", name: "C", password: "PASSWORD1" });

    expect(signUp.status).toBe(400);
    expect(signUp.error().data.fieldErrors).toEqual({ password: [COMMON_PASSWORD_MESSAGE] });
    expect(await db.customer.count()).toBe(0);
  });

  it("already set (as the demo accounts' is, seeded directly) still sign in", async () => {
    const customer = await signUpTestCustomer();
    await db.customer.update({ where: { id: customer.profile.id }, data: { passwordHash: await hashPassword("password1") } });

    expect((await createApiClient().mutate("auth.signIn", { email: customer.email, password: "password1" })).status).toBe(200);
  });
});
