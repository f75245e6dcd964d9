import { z } from "zod";
import { DomainError } from "@/server/errors";
import { defineSaga, defineStep, type SagaStep } from "@/server/saga/saga-definition";
import { createSagaEngine, type SagaScheduler } from "@/server/saga/saga-engine";
import type { SagaJob } from "@/server/saga/saga-store";
import { sql, sqlPool, type SqlClient } from "@/server/sql";

/**
 * A small saga for the engine's tests of "wait for a reply" (tests and tools only): hold → ask (waits for a reply from
 * "the tester"; only when the input asks) → finish. Each step's effect is a row in outbox_messages named after it
 * (Held, Asked, Finished; Released, Unasked when undone), written in the step's transaction, so a test counts what
 * really committed. No relay runs in these tests: the rows are only a ledger of effects.
 */

export const REPLY_TEST_SAGA_TYPE = "reply-test";

export const replyTestInputSchema = z.object({
  n: z.number().int(),
  ask: z.boolean().default(true),
  /** How long the ask step waits for its reply (both ways). */
  waitMs: z.number().int().positive().default(60_000),
});
export type ReplyTestInput = z.infer<typeof replyTestInputSchema>;

/** What the tester answers: yes (the ask's output), no (a refusal), or, to an unask, done. */
export type TesterReply = { answer: "yes" | "no" | "done" };

async function effect(tx: SqlClient, sagaId: string, type: string): Promise<void> {
  await tx.count(sql`
    INSERT INTO outbox_messages (id, event_type, payload)
    VALUES (gen_random_uuid(), ${type}, ${JSON.stringify({ sagaId, type })}::jsonb)`);
}

const awaitTester = (sagaId: string, type: string, now: Date, waitMs: number) => ({
  awaitReply: { until: new Date(now.getTime() + waitMs), sent: { type, sagaId } },
});

const holdStep: SagaStep<ReplyTestInput> = {
  name: "hold",
  async action({ tx, sagaId }) {
    await effect(tx, sagaId, "Held");
    return { output: null };
  },
  async compensation({ tx, sagaId }) {
    await effect(tx, sagaId, "Released");
  },
};

const askStep = defineStep<ReplyTestInput, { answer: string }>({
  name: "ask",
  appliesTo: (input) => input.ask,
  replyFrom: "the tester",
  noReplyReason: "The tester never answered.",
  maxCompensationAttempts: 3,
  async action({ tx, sagaId, input, now }) {
    await effect(tx, sagaId, "Asked");
    return awaitTester(sagaId, "Ask", now, input.waitMs);
  },
  async onReply({ reply }) {
    const { answer } = reply as TesterReply;
    if (answer === "no") throw new DomainError("VALIDATION", "The tester said no.");
    return { output: { answer } };
  },
  async compensation({ tx, sagaId, input, now }) {
    await effect(tx, sagaId, "Unasked");
    return awaitTester(sagaId, "Unask", now, input.waitMs);
  },
  async onCompensationReply({ reply }) {
    if ((reply as TesterReply).answer !== "done") throw new Error("An unask is answered with done");
  },
});

const finishStep: SagaStep<ReplyTestInput> = {
  name: "finish",
  async action({ tx, sagaId }) {
    await effect(tx, sagaId, "Finished");
    return { output: null };
  },
};

export const replyTestSaga = defineSaga<ReplyTestInput>({
  type: REPLY_TEST_SAGA_TYPE,
  inputSchema: replyTestInputSchema,
  steps: [holdStep, askStep, finishStep],
  deadlineReason: "Too slow.",
});

/** An engine for the test saga whose scheduler only records the jobs it would have sent to BullMQ. */
export function replyTestEngine(options: { recoverAfterMs?: number; faultsEnabled?: boolean } = {}) {
  const scheduled: SagaJob[] = [];
  const scheduler: SagaScheduler = {
    async schedule(jobs) {
      scheduled.push(...jobs.map(({ job }) => job));
    },
  };
  const engine = createSagaEngine({
    sagas: [replyTestSaga],
    scheduler,
    recoverAfterMs: options.recoverAfterMs ?? 60_000,
    faultsEnabled: options.faultsEnabled ?? false,
  });
  return { engine, scheduled };
}

/** The effects a test saga's steps committed, in order (Held, Asked, …). */
export async function effectsOf(sagaId: string): Promise<string[]> {
  const rows = await sqlPool.rows<{ type: string }>(sql`
    SELECT event_type AS type FROM outbox_messages WHERE payload->>'sagaId' = ${sagaId} ORDER BY created_at, event_type`);
  return rows.map((row) => row.type);
}
