import { setTimeout as sleep } from "node:timers/promises";
import { sql, sqlPool } from "@/server/sql";
import type { SagaJob } from "./saga-store";

/**
 * Fault injection for tests and demos: makes a named step fail (for good, or N times) or wait, so compensation,
 * retries and crash recovery can be shown on purpose. The engine consults it only when faults are enabled, which
 * they never are in normal mode.
 */

export class InjectedPermanentFailure extends Error {
  constructor(step: string) {
    super(`Fault injected at ${step} (test/demo mode)`);
    this.name = "InjectedPermanentFailure";
  }
}

export class InjectedTransientFailure extends Error {
  constructor(step: string) {
    super(`Transient fault injected at ${step} (test/demo mode)`);
    this.name = "InjectedTransientFailure";
  }
}

export type FiredFault = { kind: "fail_permanently" | "fail_transiently" | "delay_before" | "delay_after_commit"; delay_ms: number };

/** The faults that fire for this delivery, using up one of each counted fault. */
export async function fireFaults(job: SagaJob): Promise<FiredFault[]> {
  return sqlPool.rows<FiredFault>(sql`
    UPDATE saga_faults SET remaining = CASE WHEN remaining IS NULL THEN NULL ELSE remaining - 1 END
     WHERE saga_type = ${job.sagaType} AND step = ${job.step} AND phase = ${job.phase}::saga_phase
       AND (remaining IS NULL OR remaining > 0)
    RETURNING kind::text AS kind, delay_ms`);
}

/** Waits and throws as the faults say, before the step's transaction begins. */
export async function applyFaultsBefore(job: SagaJob, faults: FiredFault[]): Promise<void> {
  for (const fault of faults) if (fault.kind === "delay_before") await sleep(fault.delay_ms);
  if (faults.some((fault) => fault.kind === "fail_permanently")) throw new InjectedPermanentFailure(job.step);
  if (faults.some((fault) => fault.kind === "fail_transiently")) throw new InjectedTransientFailure(job.step);
}

/** Waits between the commit and scheduling the next job: the window a crash test kills the worker in. */
export async function applyFaultsAfterCommit(faults: FiredFault[]): Promise<void> {
  for (const fault of faults) if (fault.kind === "delay_after_commit") await sleep(fault.delay_ms);
}
