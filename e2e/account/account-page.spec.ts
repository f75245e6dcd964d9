import { expect, test } from "@playwright/test";
import { newShopper, signIn, signUp } from "../support/accounts";
import { seriousViolations } from "../support/axe";
import { expectNoSidewaysScroll } from "../support/layout";

test("a common password is refused at sign-up, with the reason next to the field", async ({ page }) => {
  const shopper = newShopper("common");
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(shopper.name);
  await page.getByLabel("Email").fill(shopper.email);
  await page.getByLabel("Password").fill("Password1");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.locator("#field-password-error")).toHaveText(
    "That password is one of the most common ones, which are guessed first. Choose another.",
  );
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
});

test("the account page changes the password (signing out the other devices) and signs out everywhere", async ({ page, browser, baseURL }) => {
  const shopper = newShopper("account");
  await signUp(page, shopper);
  // The same customer on another device.
  const phoneContext = await browser.newContext({ baseURL });
  const phone = await phoneContext.newPage();
  await phone.goto("/sign-in");
  await signIn(phone, shopper);
  await expect(phone.getByTestId("signed-in-as")).toHaveText(shopper.name);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByText(shopper.email)).toBeVisible();

  const newPassword = "silver-mane-at-dawn";
  const change = async (current: string, next: string, again = next) => {
    await page.getByLabel("Current password").fill(current);
    await page.getByLabel("New password", { exact: true }).fill(next);
    await page.getByLabel("New password again").fill(again);
    await page.getByRole("button", { name: "Change password" }).click();
  };

  await change(shopper.password, newPassword, "something-else");
  await expect(page.locator("#field-repeat-error")).toHaveText("The two new passwords are not the same.");
  await change("not-my-password", newPassword);
  await expect(page.locator("#field-current-error")).toHaveText("That is not your current password.");
  await change(shopper.password, "iloveyou1");
  await expect(page.locator("#field-next-error")).toHaveText(/one of the most common ones/);

  await change(shopper.password, newPassword);
  await expect(page.getByRole("status")).toHaveText(/Your password is changed\. You are still signed in here/);

  // This device is still signed in; the other one is not.
  await page.goto("/wallet");
  await expect(page.getByRole("heading", { name: "Your wallet" })).toBeVisible();
  await phone.goto("/wallet");
  await expect(phone).toHaveURL(/\/sign-in\?next=%2Fwallet$/);
  await signIn(phone, { email: shopper.email, password: newPassword });
  await expect(phone).toHaveURL(/\/wallet$/);

  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  const dialog = page.getByRole("dialog", { name: "Sign out on every device?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Sign out everywhere" }).click();

  await expect(page).toHaveURL(/\/sign-in\?signedOut=everywhere$/);
  await expect(page.getByRole("status")).toHaveText("You are signed out on every device and browser.");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  await phone.goto("/wallet");
  await expect(phone).toHaveURL(/\/sign-in\?next=%2Fwallet$/);
  await phoneContext.close();
});

test("the account page and its confirmation pass an axe check and fit a phone @phone", async ({ page }) => {
  await signUp(page, newShopper("axe"));
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await expectNoSidewaysScroll(page);

  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page.getByRole("dialog", { name: "Sign out on every device?" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Go back" }).click();
  await expect(page.getByRole("button", { name: "Sign out everywhere" })).toBeFocused();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
});
