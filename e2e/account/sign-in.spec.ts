import { expect, test } from "@playwright/test";
import { ADA, newShopper, signIn, signUp } from "../support/accounts";

test("a wrong password gets a clear error and no session", async ({ page }) => {
  await page.goto("/sign-in");
  await signIn(page, { email: ADA.email, password: "not-the-password" });
  await expect(page.locator("form").getByRole("alert")).toHaveText("That email and password don't match an account.");
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
  await page.goto("/wallet");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fwallet$/);
});

test("a signed-out visit to the wallet goes through sign-in and comes back to the wallet", async ({ page }) => {
  await page.goto("/wallet");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fwallet$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await signIn(page, ADA);

  await expect(page).toHaveURL(/\/wallet$/);
  await expect(page.getByRole("heading", { name: "Your wallet" })).toBeVisible();
  // Other journeys spend from Ada's wallet; this one is about getting back here, signed in.
  await expect(page.getByTestId("wallet-balance")).toHaveText(/^\$[\d,]+\.\d{2}$/);
});

test("the session cookie is httpOnly and SameSite", async ({ page, context }) => {
  await page.goto("/sign-in");
  await signIn(page, ADA);
  await expect(page.getByTestId("signed-in-as")).toHaveText(ADA.name);
  const session = (await context.cookies()).find((cookie) => cookie.name === "unicorn_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
  // The cookie is sealed: it does not show the customer id in the clear.
  expect(session?.value).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
});

test("after ten wrong passwords the account's sign-in waits, and the form says for how long", async ({ page }) => {
  const shopper = newShopper("guessed");
  await signUp(page, shopper);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

  await page.goto("/sign-in");
  const alert = page.locator("form").getByRole("alert");
  for (let i = 1; i <= 10; i++) {
    await signIn(page, { email: shopper.email, password: `guess-number-${i}` });
    await expect(alert).toHaveText("That email and password don't match an account.");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  // The right password too, now: the account's sign-ins wait out the window (RATE_LIMIT_SIGN_IN_PER_ACCOUNT).
  await signIn(page, shopper);
  await expect(alert).toHaveText(/^Too many failed sign-ins to this account\. Try again in 1[45] minutes\.$/);
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
});
