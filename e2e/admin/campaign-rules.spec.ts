import { ADMIN } from "../support/admin";
import { expect, test } from "../support/fixtures";
import { signInAs } from "../support/shop";

test("an admin adds a campaign rule: the server's field errors show next to the fields, then the rule is listed and switched", async ({
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
  // The rule's own checks are the server's; its answer lands on the field it is about.
  await expect(page.getByLabel("Factor")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("A multiplier multiplies by 2 or more.")).toBeVisible();

  await page.getByLabel("Factor").fill("3");
  await page.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Created “Triple points (e2e)”." })).toBeVisible();
  const row = page.getByTestId("rule-row").filter({ hasText: "Triple points (e2e)" });
  await expect(row).toContainText("× 3 the points earned");
  await expect(row).toContainText("Always");
  const toggle = row.getByRole("switch", { name: "Triple points (e2e) enabled" });
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
});
