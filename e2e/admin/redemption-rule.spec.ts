import { ADMIN, SUPPORT } from "../support/admin";
import { seriousViolations } from "../support/axe";
import { redemptionRuleNumbers, restoreRedemptionRule } from "../support/database";
import { expect, test } from "../support/fixtures";
import { signInAs } from "../support/shop";

test("an admin changes what points are worth: the server's field error, a confirmation, the rule in force; support only looks", async ({ page }) => {
  test.slow();
  // The rule is put back after the test: the checkout journeys redeem by the seeded one.
  const before = await redemptionRuleNumbers();
  try {
    await signInAs(page, ADMIN);
    await page.goto("/admin/rules");
    const panel = page.getByTestId("redemption-rule");
    await expect(panel.getByTestId("redemption-rule-in-force")).toHaveText("100 points = $5.00, at most 50% of an order");
    await expect(panel.getByLabel("Points per step")).toHaveValue("100");

    // What the browser can tell it says itself; the rule's own checks are the server's, shown on the field.
    await panel.getByLabel("Points per step").fill("a hundred");
    await panel.getByRole("button", { name: "Save the rule" }).click();
    await expect(panel.getByText("Enter a whole number, like 100.")).toBeVisible();
    await panel.getByLabel("Points per step").fill("100");
    await panel.getByLabel("At most (% of an order)").fill("100");
    await panel.getByRole("button", { name: "Save the rule" }).click();
    const dialog = page.getByRole("dialog", { name: "Change what points are worth?" });
    await expect(dialog).toContainText("From now on: 100 points = $5.00, at most 100% of an order.");
    await expect(dialog.getByRole("button", { name: "Go back" })).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Save the rule" }).click();
    await expect(panel.getByLabel("At most (% of an order)")).toHaveAttribute("aria-invalid", "true");
    await expect(panel.getByText("Points pay at most 99% of an order: the wallet pays the rest.")).toBeVisible();

    // Going back changes nothing; confirming saves, and the rule in force says so.
    await panel.getByLabel("Worth (USD)").fill("4.00");
    await panel.getByLabel("At most (% of an order)").fill("40");
    await panel.getByRole("button", { name: "Save the rule" }).click();
    await dialog.getByRole("button", { name: "Go back" }).click();
    await expect(dialog).toBeHidden();
    await expect(panel.getByRole("button", { name: "Save the rule" })).toBeFocused();
    await expect(panel.getByTestId("redemption-rule-in-force")).toHaveText("100 points = $5.00, at most 50% of an order");
    await panel.getByRole("button", { name: "Save the rule" }).click();
    await expect(dialog).toContainText("From now on: 100 points = $4.00, at most 40% of an order.");
    await dialog.getByRole("button", { name: "Save the rule" }).click();
    await expect(panel.getByTestId("redemption-rule-message")).toHaveText("Saved: 100 points = $4.00, at most 40% of an order.");
    await expect(panel.getByTestId("redemption-rule-in-force")).toHaveText("100 points = $4.00, at most 40% of an order");
    await expect(panel).toContainText("Last changed");

    // Support staff see the rule in force, with nothing to change it with.
    await page.context().clearCookies();
    await signInAs(page, SUPPORT);
    await page.goto("/admin/rules");
    await expect(panel.getByTestId("redemption-rule-in-force")).toHaveText("100 points = $4.00, at most 40% of an order");
    await expect(panel.getByRole("button", { name: "Save the rule" })).toHaveCount(0);
  } finally {
    await restoreRedemptionRule(before);
  }
});
