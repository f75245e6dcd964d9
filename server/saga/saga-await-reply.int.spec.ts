import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/server/db";
import { waitUntil } from "@/server/testing/checkout-flow";
import { startChild } from "@/server/testing/child-process";
import { truncateShop } from "@/server/testing/database";
import { effectsOf, replyTestEngine, REPLY_TEST_SAGA_TYPE, type TesterReply } from "@/server/testing/reply-test-saga";
import { integrationServices } from "@/server/testing/test-databases";
import { getSagaView } from "./get-saga-view";
import type { SagaEngine } from "./saga-engine";
import type { SagaJob } from "./saga-store";

/**
 * The generic engine's "wait for a reply" (like Step Functions' .waitForTaskToken), on real PostgreSQL, with a small
 * saga of its own (hold → ask → finish, server/testing/reply-test-saga.ts): the ask step writes its message in its
 * transaction and waits; a reply moves it on once; no reply in time fails it and compensates from the step itself;
 * its compensation waits too, and is sent again while no reply comes. The scheduler records the jobs the engine would
 * have sent to BullMQ, and the test delivers them as a worker would.
 */

beforeEach(truncateShop);
afterAll(disconnectDb);

type Harness = ReturnType<typeof replyTestEngine>;

/** Runs every job the engine scheduled, and those they schedule, until none is left (as a worker would). */
async function drain({ engine, scheduled }: Harness): Promise<void> {
  for (let job = scheduled.shift(); job; job = scheduled.shift()) await engine.runStepJob(job);
}

async function startAsking(harness: Harness, input: { ask?: boolean; waitMs?: number } = {}): Promise<string> {
  const sagaId = await harness.engine.start({ sagaType: REPLY_TEST_SAGA_TYPE, input: { n: 1, ...input } });
  await drain(harness);
  return sagaId;
}

const job = (sagaId: string, step: string, phase: "action" | "compensation" = "action"): SagaJob => ({
  sagaId,
  sagaType: REPLY_TEST_SAGA_TYPE,
  step,
  phase,
});

function reply(engine: SagaEngine, sagaId: string, answer: TesterReply["answer"], phase: "action" | "compensation" = "action") {
  return engine.deliverReply({ ...job(sagaId, "ask", phase), reply: { answer } });
}

async function sagaRow(sagaId: string) {
  return db.sagaInstance.findUniqueOrThrow({
    where: { id: sagaId },
    select: { status: true, currentStep: true, failureReason: true, failedStep: true, nextJobDueAt: true, awaitingReplyUntil: true, stepOutputs: true },
  });
}

async function execution(sagaId: string, step: string, phase: "action" | "compensation" = "action") {
  return db.sagaStepExecution.findUniqueOrThrow({ where: { sagaId_step_phase: { sagaId, step, phase } } });
}

/** Lets the sweep find the saga's wait over (its deadline has passed), and runs the job it schedules. */
async function sweepOnceTheWaitIsOver(harness: Harness): Promise<void> {
  await waitUntil("the recovery sweep to find the wait over", async () => (await harness.engine.sweep()).rescheduled > 0, { intervalMs: 50 });
  await drain(harness);
}

describe("a step waiting for a reply", () => {
  it("stays at its step, recorded as awaiting with what it sent, until the reply moves the saga on", async () => {
    const harness = replyTestEngine();
    const sagaId = await startAsking(harness);

    const waiting = await sagaRow(sagaId);
    expect(waiting).toMatchObject({ status: "running", currentStep: "ask" });
    expect(waiting.awaitingReplyUntil).toBeInstanceOf(Date);
    // The recovery sweep wakes it at its wait's end, not before.
    expect(waiting.nextJobDueAt).toEqual(waiting.awaitingReplyUntil);
    expect(await execution(sagaId, "ask")).toMatchObject({
      status: "awaiting",
      attempts: 1,
      finishedAt: null,
      replyFrom: "the tester",
      sentMessage: { type: "Ask", sagaId },
      reply: null,
    });
    expect(harness.scheduled).toEqual([]);
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked"]);

    // Delivered again while it waits (a duplicate, a redrive): nothing happens, and it is not counted as an attempt.
    expect(await harness.engine.runStepJob(job(sagaId, "ask"))).toBe("skipped");
    expect(await execution(sagaId, "ask")).toMatchObject({ status: "awaiting", attempts: 1 });
    expect(harness.scheduled).toEqual([]);
    expect((await harness.engine.redrive(sagaId)).done).toBe(false);

    expect(await reply(harness.engine, sagaId, "yes")).toBe("succeeded");
    expect(harness.scheduled).toEqual([job(sagaId, "finish")]);
    const answered = await execution(sagaId, "ask");
    expect(answered).toMatchObject({ status: "succeeded", output: { answer: "yes" }, reply: { answer: "yes" } });
    expect(answered.repliedAt).toBeInstanceOf(Date);
    expect((await sagaRow(sagaId)).awaitingReplyUntil).toBeNull();

    await drain(harness);
    expect(await sagaRow(sagaId)).toMatchObject({ status: "completed", stepOutputs: { hold: null, ask: { answer: "yes" }, finish: null } });
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked", "Finished"]);
    const view = await getSagaView({ sagaId });
    expect(view?.steps.find((step) => step.step === "ask")).toMatchObject({
      status: "succeeded",
      awaitingReply: false,
      replyFrom: "the tester",
      sentMessage: { type: "Ask", sagaId },
      reply: { answer: "yes" },
      awaitingSince: expect.any(Date),
      awaitingUntil: expect.any(Date),
      repliedAt: expect.any(Date),
    });
  });

  it("shows as waiting in the saga's view while it waits", async () => {
    const harness = replyTestEngine();
    const sagaId = await startAsking(harness);
    const ask = (await getSagaView({ sagaId }))?.steps.find((step) => step.step === "ask");
    expect(ask).toMatchObject({ status: "running", awaitingReply: true, finishedAt: null, reply: null, repliedAt: null });
    expect(ask!.awaitingUntil!.getTime()).toBeGreaterThan(ask!.awaitingSince!.getTime());
  });

  it("moves on once when the same reply is delivered twice, together or one after the other", async () => {
    const harness = replyTestEngine();
    const sagaId = await startAsking(harness);
    const yes = { ...job(sagaId, "ask"), reply: { answer: "yes" } };

    const together = await harness.engine.deliverReplies([yes, yes]);
    expect(together).toEqual([{ ok: true, outcome: "succeeded" }, { ok: true, outcome: "skipped" }]);
    expect(await reply(harness.engine, sagaId, "yes")).toBe("skipped");

    expect(harness.scheduled).toEqual([job(sagaId, "finish")]);
    await drain(harness);
    expect(await sagaRow(sagaId)).toMatchObject({ status: "completed" });
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked", "Finished"]);
  });

  it("hands the replies of several sagas to their steps in one batch", async () => {
    const harness = replyTestEngine();
    const sagaIds = [await startAsking(harness), await startAsking(harness), await startAsking(harness)];

    const results = await harness.engine.deliverReplies(sagaIds.map((sagaId) => ({ ...job(sagaId, "ask"), reply: { answer: "yes" } })));

    expect(results).toEqual(sagaIds.map(() => ({ ok: true, outcome: "succeeded" })));
    expect(harness.scheduled).toEqual(sagaIds.map((sagaId) => job(sagaId, "finish")));
  });

  it("takes a refusal as a failed action: the steps before it are undone, not the step itself", async () => {
    const harness = replyTestEngine();
    const sagaId = await startAsking(harness);

    expect(await reply(harness.engine, sagaId, "no")).toBe("failed");
    expect(await sagaRow(sagaId)).toMatchObject({ status: "compensating", currentStep: "hold", failureReason: "The tester said no.", failedStep: "ask" });
    expect(await execution(sagaId, "ask")).toMatchObject({ status: "failed", error: "The tester said no.", reply: { answer: "no" } });
    await drain(harness);

    expect(await sagaRow(sagaId)).toMatchObject({ status: "compensated" });
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked", "Released"]);
  });

  it("fails when no reply came in time, compensates from the step itself, and a late reply changes nothing", async () => {
    const harness = replyTestEngine();
    const sagaId = await startAsking(harness, { waitMs: 300 });

    await sweepOnceTheWaitIsOver(harness);

    const timedOut = await execution(sagaId, "ask");
    expect(timedOut).toMatchObject({ status: "failed", error: expect.stringMatching(/^No reply from the tester by \d{4}-\d\d-\d\dT/) });
    expect(await sagaRow(sagaId)).toMatchObject({
      status: "compensating",
      currentStep: "ask",
      failureReason: "The tester never answered.",
      failedStep: "ask",
    });
    // Its message may have been acted on: its own compensation ran first, and now waits for its reply in turn.
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked", "Unasked"]);
    expect(await execution(sagaId, "ask", "compensation")).toMatchObject({ status: "awaiting", sentMessage: { type: "Unask", sagaId } });

    expect(await reply(harness.engine, sagaId, "yes")).toBe("skipped");
    expect(await execution(sagaId, "ask")).toMatchObject({ status: "failed", reply: null });
    expect((await sagaRow(sagaId)).stepOutputs).toEqual({ hold: null });

    expect(await reply(harness.engine, sagaId, "done", "compensation")).toBe("succeeded");
    await drain(harness);
    expect(await sagaRow(sagaId)).toMatchObject({ status: "compensated", awaitingReplyUntil: null });
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked", "Unasked", "Released"]);
    // …and the late reply to the action, delivered again now, still changes nothing.
    expect(await reply(harness.engine, sagaId, "yes")).toBe("skipped");
    expect(await sagaRow(sagaId)).toMatchObject({ status: "compensated" });
  });

  it("sends a compensation again while no reply comes, counting each, then needs attention; its reply still finishes it", async () => {
    const harness = replyTestEngine();
    const sagaId = await startAsking(harness, { waitMs: 300 });
    await sweepOnceTheWaitIsOver(harness);
    expect(await execution(sagaId, "ask", "compensation")).toMatchObject({ status: "awaiting", attempts: 1 });

    await sweepOnceTheWaitIsOver(harness);
    expect(await execution(sagaId, "ask", "compensation")).toMatchObject({ status: "awaiting", attempts: 2 });
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked", "Unasked", "Unasked"]);

    // The ask step allows 3 attempts of its compensation: the third wait's end is the last.
    await sweepOnceTheWaitIsOver(harness);
    expect(await execution(sagaId, "ask", "compensation")).toMatchObject({
      status: "failed",
      attempts: 3,
      error: expect.stringMatching(/^No reply from the tester by /),
    });
    expect(await sagaRow(sagaId)).toMatchObject({ status: "needs_attention", currentStep: "ask", nextJobDueAt: null });
    expect(await harness.engine.sweep()).toEqual({ cancelled: 0, rescheduled: 0 });
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked", "Unasked", "Unasked"]);

    // The reply comes at last: what it asked for is done, so the saga compensates on by itself.
    expect(await reply(harness.engine, sagaId, "done", "compensation")).toBe("succeeded");
    await drain(harness);
    expect(await sagaRow(sagaId)).toMatchObject({ status: "compensated" });
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked", "Unasked", "Unasked", "Released"]);
  });

  it("runs a compensation that gave up afresh when an operator retries it: sent again, waiting again", async () => {
    const harness = replyTestEngine();
    const sagaId = await startAsking(harness, { waitMs: 300 });
    for (let round = 0; round < 3; round += 1) await sweepOnceTheWaitIsOver(harness);
    expect(await sagaRow(sagaId)).toMatchObject({ status: "needs_attention" });

    expect((await harness.engine.retryCompensation(sagaId)).done).toBe(true);
    await drain(harness);

    expect(await sagaRow(sagaId)).toMatchObject({ status: "compensating", currentStep: "ask" });
    expect(await execution(sagaId, "ask", "compensation")).toMatchObject({ status: "awaiting", attempts: 4 });
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked", "Unasked", "Unasked", "Unasked"]);
    expect(await reply(harness.engine, sagaId, "done", "compensation")).toBe("succeeded");
    await drain(harness);
    expect(await sagaRow(sagaId)).toMatchObject({ status: "compensated" });
  });

  it.each([
    ["an operator's cancel", (engine: SagaEngine, sagaId: string) => engine.cancel(sagaId, "Stopped by the test.")],
    [
      "the saga's own deadline",
      async (engine: SagaEngine, sagaId: string) => {
        await db.sagaInstance.update({ where: { id: sagaId }, data: { deadlineAt: new Date(Date.now() - 1_000) } });
        expect((await engine.sweep()).cancelled).toBe(1);
      },
    ],
  ])("compensates from the step itself when %s ends the wait", async (_, end) => {
    const harness = replyTestEngine();
    const sagaId = await startAsking(harness);

    await end(harness.engine, sagaId);

    expect(await sagaRow(sagaId)).toMatchObject({ status: "compensating", currentStep: "ask", failedStep: "ask", awaitingReplyUntil: null });
    expect(await execution(sagaId, "ask")).toMatchObject({ status: "failed" });
    expect(harness.scheduled).toEqual([job(sagaId, "ask", "compensation")]);
    await drain(harness);
    expect(await reply(harness.engine, sagaId, "yes")).toBe("skipped");
    expect(await reply(harness.engine, sagaId, "done", "compensation")).toBe("succeeded");
    await drain(harness);
    expect(await sagaRow(sagaId)).toMatchObject({ status: "compensated" });
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked", "Unasked", "Released"]);
  });

  it("is never run, nor shown, for a saga whose input it does not apply to", async () => {
    const harness = replyTestEngine();
    const sagaId = await startAsking(harness, { ask: false });

    expect(await sagaRow(sagaId)).toMatchObject({ status: "completed" });
    expect(await effectsOf(sagaId)).toEqual(["Held", "Finished"]);
    expect((await getSagaView({ sagaId }))?.steps.map((step) => step.step)).toEqual(["hold", "finish"]);
    expect(await reply(harness.engine, sagaId, "yes")).toBe("skipped");
  });
});

describe("a worker killed with kill -9 around a step that waits", () => {
  const SCRIPT = path.join(process.cwd(), "server/testing/scripts/run-reply-test-step.ts");

  /** A saga that held, whose ask step's job runs in a process of its own, held by a fault `where`, killed there. */
  async function killDuringAsk(where: "delay_before" | "delay_after_commit"): Promise<{ harness: Harness; sagaId: string }> {
    const harness = replyTestEngine();
    const sagaId = await harness.engine.start({ sagaType: REPLY_TEST_SAGA_TYPE, input: { n: 1 } });
    await harness.engine.runStepJob(harness.scheduled.shift()!);
    // Its ask job goes to the process below instead.
    harness.scheduled.length = 0;
    await db.sagaFault.create({ data: { sagaType: REPLY_TEST_SAGA_TYPE, step: "ask", phase: "action", kind: where, remaining: 1, delayMs: 30_000 } });
    const child = startChild({
      name: `ask-${where}`,
      command: path.join(process.cwd(), "node_modules/.bin/tsx"),
      args: [SCRIPT, sagaId, "ask", "action"],
      env: { ...process.env, NODE_ENV: "test", SHOP_MODE: "test", DATABASE_URL: integrationServices().databaseUrl, LOG_LEVEL: "silent" },
    });
    await child.waitForOutput(/running/, 20_000);
    await waitUntil("the fault to hold the step", async () => (await db.sagaFault.count({ where: { remaining: 0 } })) === 1);
    if (where === "delay_after_commit") {
      await waitUntil("the step's wait to have committed", async () => (await execution(sagaId, "ask")).status === "awaiting");
    }
    expect(await child.crash()).toEqual({ code: null, signal: "SIGKILL" });
    return { harness, sagaId };
  }

  it("loses nothing when it dies after the message and the wait committed: the redelivery waits, the reply moves it on once", { timeout: 60_000 }, async () => {
    const { harness, sagaId } = await killDuringAsk("delay_after_commit");

    // The message and the wait committed together: the saga waits, with its message sent once.
    expect(await sagaRow(sagaId)).toMatchObject({ status: "running", currentStep: "ask" });
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked"]);
    // The killed delivery comes back (BullMQ's stalled-job check), and finds the step waiting.
    expect(await harness.engine.runStepJob(job(sagaId, "ask"))).toBe("skipped");
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked"]);
    expect(await reply(harness.engine, sagaId, "yes")).toBe("succeeded");
    await drain(harness);
    expect(await sagaRow(sagaId)).toMatchObject({ status: "completed" });
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked", "Finished"]);
  });

  it("sends nothing when it dies before its transaction committed: the redelivery sends the message, once", { timeout: 60_000 }, async () => {
    const { harness, sagaId } = await killDuringAsk("delay_before");

    expect(await effectsOf(sagaId)).toEqual(["Held"]);
    expect(await execution(sagaId, "ask")).toMatchObject({ status: "running", attempts: 1 });
    expect(await harness.engine.runStepJob(job(sagaId, "ask"))).toBe("succeeded");
    expect(await execution(sagaId, "ask")).toMatchObject({ status: "awaiting", attempts: 2 });
    expect(await effectsOf(sagaId)).toEqual(["Held", "Asked"]);
    expect(await reply(harness.engine, sagaId, "yes")).toBe("succeeded");
  });
});
