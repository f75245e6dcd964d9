import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { signUpTestCustomer, truncateShop } from "@/server/testing/database";
import { createMemorySession, signedInMemorySession } from "@/server/testing/memory-session";
import { adminProcedure, createCallerFactory, createContext, protectedProcedure, router } from "./trpc";

// A router of this test's own: the shop has no admin procedure yet, but the guard every later one relies on is here.
const guardedRouter = router({
  whoAmI: protectedProcedure.query(({ ctx }) => ctx.customer.email),
  operatorsOnly: adminProcedure.query(({ ctx }) => `admin ${ctx.customer.email}`),
});
const callAs = async (customerId?: string) => {
  const session = customerId ? await signedInMemorySession(customerId) : createMemorySession();
  return createCallerFactory(guardedRouter)(createContext({ session: session.forRequest() }));
};

let customerId: string;
let adminId: string;

beforeAll(async () => {
  await truncateShop();
  customerId = (await signUpTestCustomer({ email: "customer@unicorn.test" })).profile.id;
  adminId = (await signUpTestCustomer({ email: "operator@unicorn.test" })).profile.id;
  await db.customer.update({ where: { id: adminId }, data: { role: "admin" } });
});

afterAll(disconnectDb);

describe("protectedProcedure", () => {
  it("refuses a visitor with UNAUTHORIZED", async () => {
    await expect((await callAs()).whoAmI()).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "Please sign in to continue." });
  });

  it("lets a signed-in customer through as themselves", async () => {
    await expect((await callAs(customerId)).whoAmI()).resolves.toBe("customer@unicorn.test");
  });
});

describe("adminProcedure", () => {
  it("refuses a visitor with UNAUTHORIZED", async () => {
    await expect((await callAs()).operatorsOnly()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("refuses a customer with FORBIDDEN", async () => {
    await expect((await callAs(customerId)).operatorsOnly()).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "This page is for shop operators only.",
    });
  });

  it("lets an admin through", async () => {
    await expect((await callAs(adminId)).operatorsOnly()).resolves.toBe("admin operator@unicorn.test");
  });

  it("reads the role from PostgreSQL on every call, so a demoted admin loses access at once", async () => {
    const demoted = (await signUpTestCustomer({ email: "demoted@unicorn.test" })).profile.id;
    await db.customer.update({ where: { id: demoted }, data: { role: "admin" } });
    await expect((await callAs(demoted)).operatorsOnly()).resolves.toBe("admin demoted@unicorn.test");
    await db.customer.update({ where: { id: demoted }, data: { role: "customer" } });
    await expect((await callAs(demoted)).operatorsOnly()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
