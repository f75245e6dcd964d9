import { logger } from "@/server/logger";
import { inTransaction, sql, sqlPool } from "@/server/sql";
import { auditRetailInvariants, type InvariantCheck, type InvariantViolation } from "./retail-invariants";

/** Runs kept: a day of runs a minute apart. */
const KEPT_RUNS = 1_440;

export type InvariantAuditRun = { startedAt: Date; finishedAt: Date; checks: InvariantCheck[]; violations: InvariantViolation[] };

/**
 * One pass of the standing auditor (every checkout worker runs it periodically; one at a time across all of them,
 * by an advisory lock): every Retail invariant, read from one snapshot (REPEATABLE READ), so a checkout committing
 * meanwhile can never look half done. The run is stored for the admin monitor; a violation is logged at error level.
 * Returns null when another worker is auditing right now.
 */
export async function runInvariantAudit(): Promise<InvariantAuditRun | null> {
  const run = await inTransaction(async (tx) => {
    const [lock] = await tx.rows<{ acquired: boolean }>(sql`SELECT pg_try_advisory_xact_lock(hashtext('invariant-audit')) AS acquired`);
    if (!lock?.acquired) return null;
    const [started] = await tx.rows<{ now: Date }>(sql`SELECT now()`);
    const audit = await auditRetailInvariants(tx);
    const [stored] = await tx.rows<{ finished_at: Date }>(sql`
      INSERT INTO invariant_audits (started_at, finished_at, checks, violations)
      VALUES (${started!.now}, clock_timestamp(), ${JSON.stringify(audit.checks)}::jsonb, ${JSON.stringify(audit.violations)}::jsonb)
      RETURNING finished_at`);
    return { startedAt: started!.now, finishedAt: stored!.finished_at, ...audit };
  }, { isolation: "repeatable read" });
  if (!run) return null;
  await sqlPool.count(sql`
    DELETE FROM invariant_audits WHERE id < (SELECT min(id) FROM (SELECT id FROM invariant_audits ORDER BY id DESC LIMIT ${KEPT_RUNS}) kept)`);
  if (run.violations.length > 0) logger.error({ violations: run.violations }, "The invariant audit found violations");
  return run;
}

/** The latest run, for the admin monitor; null before the first. */
export async function latestInvariantAudit(): Promise<InvariantAuditRun | null> {
  const [row] = await sqlPool.rows<{ started_at: Date; finished_at: Date; checks: InvariantCheck[]; violations: InvariantViolation[] }>(sql`
    SELECT started_at, finished_at, checks, violations FROM invariant_audits ORDER BY id DESC LIMIT 1`);
  return row ? { startedAt: row.started_at, finishedAt: row.finished_at, checks: row.checks, violations: row.violations } : null;
}
