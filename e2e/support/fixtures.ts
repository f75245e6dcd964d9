import { test as base } from "@playwright/test";
import { availableOf, closeDatabase, setAvailable, waitForCheckoutsToSettle } from "./database";

export { expect } from "@playwright/test";

/** Arranges stock for one test and puts it back afterwards, so no other test sees what this one sold. */
export type Stock = {
  /** Makes exactly `available` units of the product buyable for this test. */
  set(slug: string, available: number): Promise<void>;
};

export const test = base.extend<{ stock: Stock }, { databaseConnection: void }>({
  // One connection pool per Playwright worker, closed when the worker finishes.
  databaseConnection: [
    async ({}, provide) => {
      await provide();
      await closeDatabase();
    },
    { scope: "worker", auto: true },
  ],

  stock: async ({}, provide) => {
    const before = new Map<string, number>();
    await provide({
      async set(slug, available) {
        if (!before.has(slug)) before.set(slug, await availableOf(slug));
        await setAvailable(slug, available);
      },
    });
    // The catalog as the next test expects it: checkouts this test started are finished, then stock is as it was.
    await waitForCheckoutsToSettle();
    for (const [slug, available] of before) await setAvailable(slug, available);
  },
});
