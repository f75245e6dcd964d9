import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { createApiClient, type ApiClient } from "@/server/testing/api-client";
import { signUpTestCustomer, truncateShop, type TestCustomer } from "@/server/testing/database";
import { MAX_TOP_UP_CENTS, MAX_WALLET_BALANCE_CENTS } from "@/server/retail/wallet/wallet-limits";

type LedgerRow = {
  id: string;
  kind: string;
  amountCents: number;
  balanceAfterCents: number;
  idempotencyKey: string;
  createdAt: Date;
};

/** What PostgreSQL holds for a customer's wallet: the balance and every ledger row, oldest (lowest balance) first. */
async function walletInDb(customerId: string): Promise<{ balanceCents: number; ledger: LedgerRow[] }> {
  const wallet = await db.wallet.findUniqueOrThrow({
    where: { customerId },
    select: {
      balanceCents: true,
      entries: {
        select: { id: true, kind: true, amountCents: true, balanceAfterCents: true, idempotencyKey: true, createdAt: true },
        orderBy: [{ createdAt: "asc" }, { balanceAfterCents: "asc" }],
      },
    },
  });
  return { balanceCents: wallet.balanceCents, ledger: wallet.entries };
}

function topUp(client: ApiClient, amountCents: number, idempotencyKey: string) {
  return client.mutate("wallet.topUp", { amountCents, idempotencyKey });
}

let ada: TestCustomer;

beforeEach(async () => {
  await truncateShop();
  ada = await signUpTestCustomer({ name: "Ada" });
});
afterAll(disconnectDb);

describe("wallet.topUp", () => {
  it("adds to the balance and writes a deposit with the balance after it", async () => {
    const first = await topUp(ada.client, 2_500, "first-top-up");
    const second = await topUp(ada.client, 1_000, "second-top-up");

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.data()).toMatchObject({ balanceCents: 2_500, replayed: false });
    expect(second.data()).toMatchObject({ balanceCents: 3_500, replayed: false });

    const stored = await walletInDb(ada.profile.id);
    expect(stored.balanceCents).toBe(3_500);
    expect(stored.ledger).toEqual([
      expect.objectContaining({
        id: first.data().entry.id,
        kind: "deposit",
        amountCents: 2_500,
        balanceAfterCents: 2_500,
        idempotencyKey: `top-up:${ada.profile.id}:first-top-up`,
      }),
      expect.objectContaining({
        id: second.data().entry.id,
        kind: "deposit",
        amountCents: 1_000,
        balanceAfterCents: 3_500,
        idempotencyKey: `top-up:${ada.profile.id}:second-top-up`,
      }),
    ]);
    // The response's entry is the stored row, dates included.
    expect(second.data().entry.createdAt).toBeInstanceOf(Date);
    expect(second.data().entry.createdAt.getTime()).toBe(stored.ledger[1]?.createdAt.getTime());

    const wallet = await ada.client.query("wallet.get");
    expect(wallet.status).toBe(200);
    expect(wallet.data().balanceCents).toBe(3_500);
    // Newest first.
    expect(wallet.data().entries.map((entry) => [entry.kind, entry.amountCents, entry.balanceAfterCents])).toEqual([
      ["deposit", 1_000, 3_500],
      ["deposit", 2_500, 2_500],
    ]);
    expect(wallet.data().entries.map((entry) => [entry.id, entry.createdAt.getTime(), entry.description])).toEqual(
      [...stored.ledger].reverse().map((row) => [row.id, row.createdAt.getTime(), expect.any(String)]),
    );
  });

  it("carries out the same idempotency key once: the repeat returns the first deposit, replayed", async () => {
    const first = await topUp(ada.client, 2_500, "double-submit");
    const repeat = await topUp(ada.client, 2_500, "double-submit");

    expect(first.status).toBe(200);
    expect(repeat.status).toBe(200);
    expect(first.data().replayed).toBe(false);
    expect(repeat.data()).toEqual({ ...first.data(), replayed: true });

    const stored = await walletInDb(ada.profile.id);
    expect(stored.balanceCents).toBe(2_500);
    expect(stored.ledger).toHaveLength(1);
  });

  it("replays the original deposit even after later top-ups", async () => {
    const first = await topUp(ada.client, 2_500, "original-key");
    expect((await topUp(ada.client, 1_000, "later-key-1")).status).toBe(200);

    const replay = await topUp(ada.client, 2_500, "original-key");

    expect(replay.status).toBe(200);
    expect(replay.data().replayed).toBe(true);
    expect(replay.data().entry).toEqual(first.data().entry);
    const stored = await walletInDb(ada.profile.id);
    expect(stored.balanceCents).toBe(3_500);
    expect(stored.ledger).toHaveLength(2);
  });

  it("refuses the same key with a different amount with 409, leaving the balance alone", async () => {
    await topUp(ada.client, 2_500, "reused-key");

    const conflict = await topUp(ada.client, 9_900, "reused-key");

    expect(conflict.status).toBe(409);
    const error = conflict.error();
    expect(error.data.domainCode).toBe("IDEMPOTENCY_CONFLICT");
    expect(error.message).toBe(
      "This top-up was already made for $25.00; start a new top-up for a different amount.",
    );
    expect(error.data.stack).toBeUndefined();
    const stored = await walletInDb(ada.profile.id);
    expect(stored.balanceCents).toBe(2_500);
    expect(stored.ledger.map((row) => row.amountCents)).toEqual([2_500]);
  });

  it("deposits once when 20 top-ups with one key arrive at the same time", async () => {
    expect((await topUp(ada.client, 1_000, "opening-balance")).status).toBe(200);

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => topUp(ada.client, 4_200, "impatient-clicks")),
    );

    expect(responses.map((response) => response.status)).toEqual(Array<number>(20).fill(200));
    const results = responses.map((response) => response.data());
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    expect(new Set(results.map((result) => result.entry.id)).size).toBe(1);
    expect(new Set(results.map((result) => result.balanceCents))).toEqual(new Set([5_200]));

    const stored = await walletInDb(ada.profile.id);
    expect(stored.balanceCents).toBe(5_200);
    expect(stored.ledger.filter((row) => row.idempotencyKey.endsWith(":impatient-clicks"))).toHaveLength(1);
    expect(stored.ledger).toHaveLength(2);
  });

  it("adds up 20 simultaneous top-ups with distinct keys, and the ledger forms one unbroken chain", async () => {
    const amounts = Array.from({ length: 20 }, (_, i) => 100 * (i + 1) + i);

    const responses = await Promise.all(amounts.map((amount, i) => topUp(ada.client, amount, `parallel-${i}-key`)));

    expect(responses.map((response) => response.status)).toEqual(Array<number>(20).fill(200));
    expect(responses.every((response) => !response.data().replayed)).toBe(true);
    const total = amounts.reduce((sum, amount) => sum + amount, 0);
    const stored = await walletInDb(ada.profile.id);
    expect(stored.balanceCents).toBe(total);
    expect(stored.ledger).toHaveLength(20);
    expect(stored.ledger.map((row) => row.amountCents).sort((a, b) => a - b)).toEqual(amounts);

    // Sorted by balance after, each entry is the previous balance plus its amount, ending at the wallet's balance,
    // and the entries were written in that order (created_at never goes backwards along the chain).
    const chain = [...stored.ledger].sort((a, b) => a.balanceAfterCents - b.balanceAfterCents);
    let previous = 0;
    let previousCreatedAt = 0;
    for (const row of chain) {
      expect(row.kind).toBe("deposit");
      expect(row.balanceAfterCents).toBe(previous + row.amountCents);
      expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(previousCreatedAt);
      previous = row.balanceAfterCents;
      previousCreatedAt = row.createdAt.getTime();
    }
    expect(previous).toBe(stored.balanceCents);

    // Each response reported the balance its own deposit produced.
    const reported = responses.map((response) => response.data()).map((result): [string, number] => [result.entry.id, result.balanceCents]);
    expect(new Map(reported)).toEqual(new Map(chain.map((row): [string, number] => [row.id, row.balanceAfterCents])));
  });

  it("refuses to take the wallet beyond its maximum balance with 400, and says how much still fits", async () => {
    const fills = Math.floor(MAX_WALLET_BALANCE_CENTS / MAX_TOP_UP_CENTS) - 1;
    for (let i = 0; i < fills; i++) expect((await topUp(ada.client, MAX_TOP_UP_CENTS, `fill-${i}-key`)).status).toBe(200);
    expect((await topUp(ada.client, 500_000, "fill-half-key")).status).toBe(200);
    const nearlyFull = MAX_WALLET_BALANCE_CENTS - 500_000;
    expect((await walletInDb(ada.profile.id)).balanceCents).toBe(nearlyFull);

    const tooMuch = await topUp(ada.client, MAX_TOP_UP_CENTS, "over-the-cap");

    expect(tooMuch.status).toBe(400);
    const error = tooMuch.error();
    expect(error.message).toBe("A wallet can hold at most $100,000.00; you can add up to $5,000.00.");
    expect(error.data.fieldErrors?.amountCents).toEqual([error.message]);
    let stored = await walletInDb(ada.profile.id);
    expect(stored.balanceCents).toBe(nearlyFull);
    expect(stored.ledger).toHaveLength(fills + 1);

    // Exactly up to the cap is fine; a cent more is not.
    expect((await topUp(ada.client, 500_000, "to-the-cap")).status).toBe(200);
    const overFull = await topUp(ada.client, 100, "one-dollar-more");
    expect(overFull.status).toBe(400);
    expect(overFull.error().message).toMatch(/at most \$100,000\.00/);
    stored = await walletInDb(ada.profile.id);
    expect(stored.balanceCents).toBe(MAX_WALLET_BALANCE_CENTS);
    expect(stored.ledger).toHaveLength(fills + 2);
  });

  it("records nothing for a top-up the cap refused", async () => {
    const fills = MAX_WALLET_BALANCE_CENTS / MAX_TOP_UP_CENTS;
    for (let i = 0; i < fills; i++) expect((await topUp(ada.client, MAX_TOP_UP_CENTS, `cap-${i}-key`)).status).toBe(200);
    expect((await topUp(ada.client, 100, "refused-then-retried")).status).toBe(400);

    // Nothing was recorded for the refused key: no row, so no replay of a deposit that never happened.
    const stored = await walletInDb(ada.profile.id);
    expect(stored.ledger.some((row) => row.idempotencyKey.endsWith(":refused-then-retried"))).toBe(false);
  });
});

describe("one customer's wallet is never another's", () => {
  it("shows A only A's balance and entries, whatever A puts in the request", async () => {
    const bea = await signUpTestCustomer({ name: "Bea" });
    expect((await topUp(ada.client, 1_500, "ada-top-up")).status).toBe(200);
    expect((await topUp(bea.client, 4_200, "bea-top-up")).status).toBe(200);
    const adaInDb = await walletInDb(ada.profile.id);
    const beaInDb = await walletInDb(bea.profile.id);
    const beaWallet = await db.wallet.findUniqueOrThrow({ where: { customerId: bea.profile.id } });

    const expectAdaOnly = (view: { balanceCents: number; entries: { id: string }[] }) => {
      expect(view.balanceCents).toBe(1_500);
      expect(view.entries.map((entry) => entry.id)).toEqual(adaInDb.ledger.map((row) => row.id));
    };

    const plain = await ada.client.query("wallet.get");
    expect(plain.status).toBe(200);
    expectAdaOnly(plain.data());
    expect(plain.text).not.toContain(bea.profile.id);
    for (const row of beaInDb.ledger) expect(plain.text).not.toContain(row.id);

    // There is no input by which A can name B's wallet: every attempt is refused or ignored.
    for (const input of [
      { customerId: bea.profile.id },
      { walletId: beaWallet.id },
      { customer: { id: bea.profile.id } },
      bea.profile.id,
    ]) {
      const attempt = await ada.client.query("wallet.get", input);
      if (attempt.status === 200) expectAdaOnly(attempt.data());
      else expect(attempt.status).toBeLessThan(500);
      expect(attempt.text).not.toContain(String(beaInDb.balanceCents));
      for (const row of beaInDb.ledger) expect(attempt.text).not.toContain(row.id);
    }
    expect((await bea.client.query("wallet.get")).data().balanceCents).toBe(4_200);
  });

  it("deposits into the signed-in customer's wallet even when the input names another customer", async () => {
    const bea = await signUpTestCustomer({ name: "Bea" });
    const beaWallet = await db.wallet.findUniqueOrThrow({ where: { customerId: bea.profile.id } });

    const response = await ada.client.mutate("wallet.topUp", {
      amountCents: 700,
      idempotencyKey: "steer-to-bea",
      customerId: bea.profile.id,
      walletId: beaWallet.id,
    });

    if (response.status === 200) expect(response.data().balanceCents).toBe(700);
    else expect(response.status).toBeLessThan(500);
    expect((await walletInDb(bea.profile.id)).balanceCents).toBe(0);
    expect((await walletInDb(bea.profile.id)).ledger).toHaveLength(0);
    expect((await walletInDb(ada.profile.id)).balanceCents).toBe(response.status === 200 ? 700 : 0);
  });

  it("scopes idempotency keys per customer: the same key from A and from B makes two deposits", async () => {
    const bea = await signUpTestCustomer({ name: "Bea" });

    const [fromAda, fromBea] = await Promise.all([
      topUp(ada.client, 1_000, "shared-key-123"),
      topUp(bea.client, 3_000, "shared-key-123"),
    ]);

    expect(fromAda.status).toBe(200);
    expect(fromBea.status).toBe(200);
    expect(fromAda.data()).toMatchObject({ balanceCents: 1_000, replayed: false });
    expect(fromBea.data()).toMatchObject({ balanceCents: 3_000, replayed: false });
    expect(fromAda.data().entry.id).not.toBe(fromBea.data().entry.id);

    const adaInDb = await walletInDb(ada.profile.id);
    const beaInDb = await walletInDb(bea.profile.id);
    expect(adaInDb.balanceCents).toBe(1_000);
    expect(beaInDb.balanceCents).toBe(3_000);
    expect(adaInDb.ledger.map((row) => row.idempotencyKey)).toEqual([`top-up:${ada.profile.id}:shared-key-123`]);
    expect(beaInDb.ledger.map((row) => row.idempotencyKey)).toEqual([`top-up:${bea.profile.id}:shared-key-123`]);
  });

  it("keeps a signed-out session out of the wallet it used to see", async () => {
    expect((await topUp(ada.client, 1_000, "before-sign-out")).status).toBe(200);
    await ada.client.mutate("auth.signOut");

    const afterSignOut = await ada.client.query("wallet.get");
    const stranger = await createApiClient().query("wallet.get");

    expect(afterSignOut.status).toBe(401);
    expect(stranger.status).toBe(401);
    expect(afterSignOut.text).not.toMatch(/balanceCents/);
  });
});
