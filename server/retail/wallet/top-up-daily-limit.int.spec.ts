import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";

// The integration tests run in SHOP_MODE=test, which lifts the cap unless it is set: this file sets it, before the
// environment is read, so that wallet.topUp is capped as in production ($5,000.00, the default there).
vi.hoisted(() => {
  process.env.TOP_UP_DAILY_LIMIT_CENTS = "500000";
});

import { db, disconnectDb } from "@/server/db";
import { DomainError } from "@/server/errors";
import { signUpTestCustomer, truncateShop, type TestCustomer } from "@/server/testing/database";
import { topUpWallet } from "./top-up-wallet";

let ada: TestCustomer;

beforeEach(async () => {
  await truncateShop();
  ada = await signUpTestCustomer({ name: "Ada" });
});
afterAll(async () => {
  delete process.env.TOP_UP_DAILY_LIMIT_CENTS;
  await disconnectDb();
});

const topUp = (amountCents: number, idempotencyKey: string) => ada.client.mutate("wallet.topUp", { amountCents, idempotencyKey });

describe("the daily cap on top-ups", () => {
  it("lets a customer add up to $5,000.00 in 24 hours through wallet.topUp, then answers 422 saying what is left", async () => {
    expect((await topUp(300_000, "first-top-up")).status).toBe(200);
    const over = await topUp(300_000, "second-top-up");
    expect(over.status, over.text).toBe(422);
    expect(over.error().data.domainCode).toBe("TOP_UP_LIMIT");
    expect(over.error().message).toBe("Top-ups are limited to $5,000.00 in 24 hours; you can add up to $2,000.00 now.");
    expect(over.error().data.fieldErrors).toEqual({ amountCents: [over.error().message] });
    expect((await topUp(200_000, "third-top-up")).status).toBe(200);

    const full = await topUp(100, "fourth-top-up");
    expect(full.status).toBe(422);
    expect(full.error().message).toBe(
      "Top-ups are limited to $5,000.00 in 24 hours, and you have added that much already. Please try again tomorrow.",
    );
    // A repeat of a top-up that was made is answered with it, cap or not.
    expect((await topUp(300_000, "first-top-up")).data()).toMatchObject({ replayed: true, balanceCents: 500_000 });
    expect(await db.wallet.findUniqueOrThrow({ where: { customerId: ada.profile.id } })).toMatchObject({ balanceCents: 500_000 });
  });

  it("lets through exactly the cap out of 10 concurrent top-ups", async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) =>
        topUpWallet({ customerId: ada.profile.id, amountCents: 100_000, idempotencyKey: `concurrent-${index}`, dailyLimitCents: 500_000 }),
      ),
    );
    expect(attempts.filter((attempt) => attempt.status === "fulfilled")).toHaveLength(5);
    for (const attempt of attempts) {
      if (attempt.status === "rejected") expect((attempt.reason as DomainError).code).toBe("TOP_UP_LIMIT");
    }
    expect(await db.wallet.findUniqueOrThrow({ where: { customerId: ada.profile.id } })).toMatchObject({ balanceCents: 500_000 });
  });

  it("counts only the last 24 hours' deposits, and only this customer's", async () => {
    const wallet = await db.wallet.findUniqueOrThrow({ where: { customerId: ada.profile.id } });
    // Yesterday's $5,000.00 (the ledger is append-only: written as it would have been, a day and an hour ago).
    await db.$executeRaw`
      INSERT INTO wallet_entries (wallet_id, kind, amount_cents, balance_after_cents, idempotency_key, description, created_at)
      VALUES (${wallet.id}::uuid, 'deposit', 500000, 500000, 'yesterday', 'Wallet top-up', now() - interval '25 hours')`;
    await db.$executeRaw`UPDATE wallets SET balance_cents = 500000 WHERE id = ${wallet.id}::uuid`;
    expect((await topUp(500_000, "today-top-up")).status).toBe(200);

    const bob = await signUpTestCustomer({ name: "Bob" });
    expect((await bob.client.mutate("wallet.topUp", { amountCents: 500_000, idempotencyKey: "bobs-top-up" })).status).toBe(200);
  });

  it("caps nothing when no cap is given (the seed's opening balances)", async () => {
    await topUpWallet({ customerId: ada.profile.id, amountCents: 1_000_000, idempotencyKey: "opening-balance" });
    await topUpWallet({ customerId: ada.profile.id, amountCents: 1_000_000, idempotencyKey: "more" });
    expect(await db.wallet.findUniqueOrThrow({ where: { customerId: ada.profile.id } })).toMatchObject({ balanceCents: 2_000_000 });
  });
});
