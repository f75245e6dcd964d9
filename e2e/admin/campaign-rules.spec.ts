import { ADMIN } from "../support/admin";
import { expect, test } from "../support/fixtures";
import { signInAs } from "../support/shop";

test("an admin adds a campaign rule: the server's field errors show next to the fields, then the rule is listed and switched, confirmed", async ({
  page,
  campaignRules,
}) => {
  test.slow();
  // The rules are put back after the test (the rule added here removed); multipliers are off meanwhile.
  await campaignRules.withoutMultipliers();
  await signInAs(page, ADMIN);
  await page.goto("/admin/rules");

  await page.getByLabel("Name").fill("Triple points (e2e)");
  await page.getByLabel("Kind").selectOption("multiplier");
  await page.getByLabel("Factor").fill("1");
  await page.getByLabel("Priority", { exact: true }).fill("1");
  await page.getByRole("button", { name: "Create rule" }).click();
  // The rule's own checks are the server's schema, run in the browser too: the message lands on the field it is about.
  await expect(page.getByLabel("Factor")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("A multiplier multiplies by 2 or more.")).toBeVisible();

  await page.getByLabel("Factor").fill("3");
  await page.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Created “Triple points (e2e)”." })).toBeVisible();
  const row = page.getByTestId("rule-row").filter({ hasText: "Triple points (e2e)" });
  await expect(row).toContainText("× 3 the points earned");
  await expect(row).toContainText("Always");
  await expect(row.getByTestId("rule-state")).toHaveText("Off");
  // Switching is confirmed in a dialog that names the rule and what changes.
  await row.getByRole("button", { name: "Turn on" }).click();
  const dialog = page.getByRole("dialog", { name: "Turn on “Triple points (e2e)”?" });
  await expect(dialog).toContainText("Purchases from now on earn under it.");
  await dialog.getByRole("button", { name: "Turn on" }).click();
  await expect(row.getByTestId("rule-state")).toHaveText("On");
  await row.getByRole("button", { name: "Turn off" }).click();
  await page.getByRole("dialog", { name: "Turn off “Triple points (e2e)”?" }).getByRole("button", { name: "Turn off" }).click();
  await expect(row.getByTestId("rule-state")).toHaveText("Off");
});
