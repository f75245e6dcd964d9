import { expect, type Page } from "@playwright/test";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The dates (as the dashboard writes them, "Nov 26, 2027", in UTC) that fall `days` after some moment between `from`
 * and `to`: a lot's expiry is counted from when the shop recorded it, which the test only knows to lie in between.
 */
export function datesAfter(days: number, from: Date, to: Date): RegExp {
  const texts = new Set<string>();
  for (let t = from.getTime(); t <= to.getTime() + DAY_MS; t += DAY_MS / 2) {
    const moment = Math.min(t, to.getTime());
    texts.add(new Date(moment + days * DAY_MS).toLocaleDateString("en-US", { dateStyle: "medium", timeZone: "UTC" }));
  }
  return new RegExp(`^(${[...texts].join("|")})$`);
}

/** Opens the points dashboard from the header, as a customer would. */
export async function openPointsDashboard(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Points" }).click();
  await expect(page).toHaveURL(/\/points$/);
  await expect(page.getByRole("heading", { name: "Your points", level: 1 })).toBeVisible();
}
