import { test as base } from "@playwright/test";
import {
  addMultiplierRule,
  availableOf,
  campaignRuleStates,
  closeDatabase,
  disableMultiplierRules,
  restoreCampaignRules,
  setAvailable,
  waitForCheckoutsToSettle,
  type CampaignRuleStates,
} from "./database";

export { expect } from "@playwright/test";

/** Arranges stock for one test and puts it back afterwards, so no other test sees what this one sold. */
export type Stock = {
  /** Makes exactly `available` units of the product buyable for this test. */
  set(slug: string, available: number): Promise<void>;
};

/**
 * Arranges the loyalty campaign rules for one test and puts them back afterwards, so the points a purchase earns do
 * not depend on the day the test runs (the seeded Cyber Monday double points are active on one day of the year).
 */
export type CampaignRules = {
  /** Switches off every multiplier: a purchase earns what the earning rules alone award. */
  withoutMultipliers(): Promise<void>;
  /** A multiplier active for the next `minutes` (and the past as long), above the others. */
  addMultiplier(rule: { name: string; factor: number; minutes: number }): Promise<void>;
  /** Only remembers the rules, so what the test does to them through the admin page is undone after it. */
  putBackAfter(): Promise<void>;
};

export const test = base.extend<{ stock: Stock; campaignRules: CampaignRules }, { databaseConnection: void }>({
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

  campaignRules: async ({}, provide) => {
    let before: CampaignRuleStates | undefined;
    const remember = async () => {
      before ??= await campaignRuleStates();
    };
    await provide({
      async withoutMultipliers() {
        await remember();
        await disableMultiplierRules();
      },
      async addMultiplier({ name, factor, minutes }) {
        await remember();
        const now = Date.now();
        await addMultiplierRule({ name, factor, from: new Date(now - minutes * 60_000), until: new Date(now + minutes * 60_000) });
      },
      putBackAfter: remember,
    });
    if (before) await restoreCampaignRules(before);
  },
});
