import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { db, disconnectDb } from "@/server/db";
import { holdRowLocks, truncateShop } from "@/server/testing/database";
import { defineSaga } from "./saga-definition";
import { createSagaEngine, type SagaScheduler } from "./saga-engine";
import type { SagaJob } from "./saga-store";

/**
 * The recovery sweep of the generic engine, on real PostgreSQL: every worker process runs it, so two sweeps at once
 * must never both pick a saga, and a saga whose step is committing (its row locked) must be left alone until it is
 * done. The scheduler is the engine's transport port; here it records what would have gone to BullMQ.
 */

const sweepSaga = defineSaga<{ n: number }>({
  type: "sweep-test",
  inputSchema: z.object({ n: z.number().int() }),
  steps: [
    { name: "first", action: async () => ({ output: null }), compensation: async () => undefined },
    { name: "second", action: async () => ({ output: null }) },
  ],
  deadlineReason: "Too slow.",
});

function recordingEngine(recoverAfterMs = 100) {
  const scheduled: SagaJob[] = [];
  const scheduler: SagaScheduler = {
    async schedule(jobs) {
      scheduled.push(...jobs.map(({ job }) => job));
    },
  };
  const engine = createSagaEngine({ sagas: [sweepSaga], scheduler, recoverAfterMs, faultsEnabled: false });
  return { engine, scheduled };
}

beforeEach(truncateShop);
afterAll(disconnectDb);

describe("the recovery sweep", () => {
  it("reschedules each overdue saga once, however many sweeps run at the same time", async () => {
    const starter = recordingEngine(100);
    const ids = await Promise.all(Array.from({ length: 60 }, (_, n) => starter.engine.start({ sagaType: "sweep-test", input: { n } })));
    // Their first jobs "got lost": none ran within 100 ms.
    await sleep(250);
    const sweepers = [recordingEngine(60_000), recordingEngine(60_000), recordingEngine(60_000)];

    const results = await Promise.all(sweepers.map(({ engine }) => engine.sweep()));

    const rescheduled = sweepers.flatMap(({ scheduled }) => scheduled.map((job) => job.sagaId));
    expect(rescheduled.sort()).toEqual([...ids].sort());
    expect(results.reduce((sum, result) => sum + result.rescheduled, 0)).toBe(60);
    expect(sweepers.flatMap(({ scheduled }) => scheduled).every((job) => job.step === "first" && job.phase === "action")).toBe(true);
    // Postponed: a sweep right after finds nothing overdue.
    const again = recordingEngine(60_000);
    expect(await again.engine.sweep()).toEqual({ cancelled: 0, rescheduled: 0 });
  });

  it("leaves a saga past its deadline alone while its step holds the row, then cancels it once", async () => {
    const { engine } = recordingEngine(60_000);
    const sagaId = await engine.start({ sagaType: "sweep-test", input: { n: 1 } });
    await db.$executeRaw`
      UPDATE saga_instances SET current_step = 'second', deadline_at = now() - interval '1 second',
                                next_job_due_at = now() + interval '1 minute'
       WHERE id = ${sagaId}::uuid`;

    // A step of this saga "committing": its transaction holds the saga's row.
    const step = await holdRowLocks((tx) => tx.$queryRaw`SELECT id FROM saga_instances WHERE id = ${sagaId}::uuid FOR UPDATE`);

    const busy = recordingEngine(60_000);
    expect(await busy.engine.sweep()).toEqual({ cancelled: 0, rescheduled: 0 });
    expect(busy.scheduled).toEqual([]);
    await step.release();

    const racers = [recordingEngine(60_000), recordingEngine(60_000)];
    const results = await Promise.all(racers.map(({ engine: racer }) => racer.sweep()));
    expect(results.reduce((sum, result) => sum + result.cancelled, 0)).toBe(1);
    expect(racers.flatMap(({ scheduled }) => scheduled)).toEqual([{ sagaId, sagaType: "sweep-test", step: "first", phase: "compensation" }]);
    expect(await db.sagaInstance.findUniqueOrThrow({ where: { id: sagaId } })).toMatchObject({
      status: "compensating",
      currentStep: "first",
      failureReason: "Too slow.",
      failedStep: "second",
    });
  });
});
