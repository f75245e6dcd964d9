import type { Page } from "@playwright/test";
import { ADMIN } from "../support/admin";
import { seriousViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";
import { expectNoSidewaysScroll } from "../support/layout";
import { signInAs } from "../support/shop";

/** Adds a switched-off threshold rule through the form (so it earns nothing meanwhile) and returns its row. */
async function addRule(page: Page, name: string) {
  await page.goto("/admin/rules");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Minimum purchase (USD)").fill("5000.00");
  await page.getByLabel("Points awarded").fill("7");
  await page.getByLabel("Priority", { exact: true }).fill("1");
  await page.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Created “${name}”.` })).toBeVisible();
  const row = page.getByTestId("rule-row").filter({ hasText: name });
  await expect(row.getByTestId("rule-state")).toHaveText("Off");
  return row;
}

test.beforeEach(async ({ page, campaignRules }) => {
  await campaignRules.putBackAfter();
  await signInAs(page, ADMIN);
});

test("an admin retires a rule once confirmed, finds it in the audit log, and follows the line back to the rule", async ({ page }) => {
  test.slow();
  const name = `Retire me (e2e ${Date.now()})`;
  const row = await addRule(page, name);

  await row.getByRole("button", { name: "Retire" }).click();
  const dialog = page.getByRole("dialog", { name: `Retire “${name}”?` });
  await expect(dialog).toContainText("never applied again, and it cannot be turned back on or edited");
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Retire" }).click();
  await expect(page.getByTestId("rules-answer")).toHaveText(`Retired the rule “${name}”.`);
  await expect(row.getByTestId("rule-state")).toHaveText("Retired");
  await expect(row.getByRole("button")).toHaveCount(0);

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit" }).click();
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  await page.getByLabel("Actor").fill("admin@unicorn");
  await page.getByLabel("Action").selectOption({ label: "Retired a campaign rule" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=retire-campaign-rule/);
  const line = page.getByTestId("audit-row").filter({ hasText: `Retired the rule “${name}”.` });
  await expect(line).toHaveCount(1);
  await expect(line).toContainText(ADMIN.email);
  // To the second, with the zone.
  await expect(line.locator("time")).toHaveText(/\d{1,2}:\d{2}:\d{2}\s[AP]M\s\S+/);
  expect(await seriousViolations(page)).toEqual([]);

  await line.getByRole("link", { name: /^Rule / }).click();
  await expect(page).toHaveURL(/\/admin\/rules#rule-[0-9a-f-]{36}$/);
  const ruleId = new URL(page.url()).hash.slice(1);
  await expect(page.locator(`[id="${ruleId}"]`)).toContainText(name);
  await expect(page.locator(`[id="${ruleId}"]`).getByTestId("rule-state")).toHaveText("Retired");

  // And the rule links to all of its lines: created, then retired.
  await page.locator(`[id="${ruleId}"]`).getByRole("link", { name: `Audit lines for ${name}` }).click();
  await expect(page.getByTestId("audit-row")).toHaveCount(2);
  await expect(page.getByTestId("audit-row").first()).toContainText("Retired a campaign rule");
});

test("an admin edits a rule once confirmed and sees version 2", async ({ page }) => {
  test.slow();
  const name = `Edit me (e2e ${Date.now()})`;
  const row = await addRule(page, name);
  await expect(row).toContainText("version 1");

  await row.getByRole("button", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { name: `Edit “${name}” (version 1)` })).toBeVisible();
  await expect(page.getByLabel("Points awarded")).toHaveValue("7");
  await page.getByLabel("Points awarded").fill("9");
  await page.getByRole("button", { name: "Save version 2" }).click();
  const dialog = page.getByRole("dialog", { name: `Save “${name}” as version 2?` });
  await expect(dialog).toContainText("kept, unchanged, for the purchases already awarded under it");
  await dialog.getByRole("button", { name: "Save version 2" }).click();

  await expect(page.getByTestId("rules-answer")).toHaveText(`Edited “${name}”: version 2 replaces version 1.`);
  await expect(page.getByTestId("rule-row").filter({ hasText: name })).toHaveCount(1);
  await expect(row).toContainText("version 2");
  await expect(row).toContainText("$5,000.00 or more earns 9 points");
  await expect(page.getByRole("heading", { name: "New rule" })).toBeVisible();
});

test("the first empty submit flags the name and every other missing field, before anything is sent", async ({ page }) => {
  await page.goto("/admin/rules");
  let sent = 0;
  page.on("request", (request) => {
    if (request.url().includes("admin.loyalty.rules.create")) sent += 1;
  });
  await page.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Give the rule a name.")).toBeVisible();
  await expect(page.getByLabel("Minimum purchase (USD)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Points awarded")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Priority", { exact: true })).toHaveAttribute("aria-invalid", "true");
  expect(sent).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test("the audit log refuses dates in the wrong order, in the form and from the address, keeping what was typed; it fits a phone @phone", async ({ page }) => {
  await page.goto("/admin/audit");
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  await page.getByLabel("Actor").fill("uma");
  await page.getByLabel("From").fill("2026-12-05T10:00");
  await page.getByLabel("Before").fill("2026-12-04T10:00");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByText("The end must be after the start.")).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(page.getByLabel("Actor")).toHaveValue("uma");
  await expect(page.getByLabel("From")).toHaveValue("2026-12-05T10:00");

  await page.goto("/admin/audit?from=2026-12-05T10:00:00.000Z&to=2026-12-04T10:00:00.000Z");
  await expect(page.getByText("The end must be after the start.")).toBeVisible();
  await expect(page.getByTestId("audit-refused")).toBeVisible();
  await expect(page.getByTestId("audit-table")).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto("/admin/audit");
  await expect(page.getByTestId("audit-table")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await expectNoSidewaysScroll(page);
});
