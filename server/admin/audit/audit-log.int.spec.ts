import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { sql, sqlPool } from "@/server/sql";
import { signUpStaffMember, signUpTestCustomer, truncateShop, type TestCustomer } from "@/server/testing/database";
import { recordAudit } from "./record-audit";
import { auditTargetLink } from "./audit-target-link";

/** One line of the log at a given time (the log itself stamps now(); the test needs a history). */
async function line(actor: TestCustomer, action: string, at: string, targetId?: string): Promise<void> {
  await recordAudit({ actor: { id: actor.profile.id, email: actor.email }, action, targetId, outcome: `${action} at ${at}` });
  await sqlPool.count(sql`
    UPDATE admin_audit_log SET created_at = ${new Date(at)}::timestamptz
     WHERE id = (SELECT id FROM admin_audit_log ORDER BY created_at DESC, id DESC LIMIT 1)`);
}

let ada: TestCustomer;
let grace: TestCustomer;
const sagaId = randomUUID();
beforeEach(async () => {
  await truncateShop();
  ada = await signUpStaffMember("admin");
  grace = await signUpStaffMember("support");
  await line(ada, "retry-compensation", "2026-11-30T10:00:00Z", sagaId);
  await line(ada, "edit-campaign-rule", "2026-11-30T11:00:00Z", randomUUID());
  await line(grace, "adjust-points", "2026-12-01T09:00:00Z", randomUUID());
  await line(ada, "retry-queue-job", "2026-12-02T09:00:00Z", "saga-steps/42");
  await line(grace, "cancel", "2026-12-03T09:00:00Z", randomUUID());
});
afterAll(disconnectDb);

const page = (client: TestCustomer, input: Record<string, unknown> = {}) => client.client.query("admin.audit.page", input);

describe("admin.audit.page", () => {
  it("lists the whole log newest first, a page at a time, each line once", async () => {
    const first = (await page(grace, { limit: 2 })).data();
    expect(first.entries.map((entry) => entry.action)).toEqual(["cancel", "retry-queue-job"]);
    const second = (await page(grace, { limit: 2, cursor: first.nextCursor })).data();
    expect(second.entries.map((entry) => entry.action)).toEqual(["adjust-points", "edit-campaign-rule"]);
    const third = (await page(grace, { limit: 2, cursor: second.nextCursor })).data();
    expect(third.entries.map((entry) => entry.action)).toEqual(["retry-compensation"]);
    expect(third.nextCursor).toBeNull();
  });

  it("filters by part of the actor's email, case-insensitive, with % and _ taken as letters", async () => {
    const local = grace.email.split("@")[0]!.toUpperCase();
    const byGrace = (await page(ada, { actor: local })).data();
    expect(byGrace.entries.map((entry) => entry.actorEmail)).toEqual([grace.email, grace.email]);
    expect((await page(ada, { actor: "%" })).data().entries).toEqual([]);
  });

  it("filters by action, by target and by a date range [from, to)", async () => {
    expect((await page(ada, { action: "retry-compensation" })).data().entries.map((entry) => entry.targetId)).toEqual([sagaId]);
    expect((await page(ada, { targetId: "saga-steps/42" })).data().entries.map((entry) => entry.action)).toEqual(["retry-queue-job"]);
    const between = (await page(ada, { from: new Date("2026-11-30T11:00:00Z"), to: new Date("2026-12-02T09:00:00Z") })).data();
    expect(between.entries.map((entry) => entry.action)).toEqual(["adjust-points", "edit-campaign-rule"]);
    const combined = (await page(ada, { actor: ada.email, from: new Date("2026-11-30T10:30:00Z") })).data();
    expect(combined.entries.map((entry) => entry.action)).toEqual(["retry-queue-job", "edit-campaign-rule"]);
  });

  it("refuses an end before the start, naming the field, rather than listing everything", async () => {
    const answer = await page(ada, { from: new Date("2026-12-02T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") });
    expect(answer.status).toBe(400);
    expect(answer.error().data.fieldErrors?.to).toEqual(["The end must be after the start."]);
    const list = await ada.client.query("admin.audit.list", { from: new Date("2026-12-02T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") });
    expect(list.status).toBe(400);
  });

  it("refuses a date that is not one, and a cursor that is not one, with a 400", async () => {
    expect((await page(ada, { from: "next tuesday" })).status).toBe(400);
    expect((await page(ada, { cursor: { createdAt: new Date(), id: "nope" } })).status).toBe(400);
  });

  it("each line links to what it touched", async () => {
    const entries = (await page(ada)).data().entries;
    const links = Object.fromEntries(entries.map((entry) => [entry.action, auditTargetLink(entry)?.href]));
    expect(links["retry-compensation"]).toBe(`/admin/sagas/${sagaId}`);
    expect(links["retry-queue-job"]).toBe("/admin/queues/saga-steps/jobs/42");
    expect(links["edit-campaign-rule"]).toMatch(/^\/admin\/rules#rule-[0-9a-f-]{36}$/);
    expect(links["adjust-points"]).toMatch(/^\/admin\/points\?customerId=[0-9a-f-]{36}$/);
  });

  it("staff may read it; a customer may not", async () => {
    const customer = await signUpTestCustomer();
    expect((await page(customer)).status).toBe(403);
    expect(await db.adminAuditEntry.count()).toBe(5);
  });
});

describe("admin.audit.list", () => {
  it("still answers a bare list, and now takes the same filters", async () => {
    const list = (await ada.client.query("admin.audit.list", { actor: grace.email, limit: 1 })).data();
    expect(list.map((entry) => entry.action)).toEqual(["cancel"]);
  });
});
