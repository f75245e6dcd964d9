import { isDatabaseUnavailable } from "@/server/database-unavailable";
import { logger } from "@/server/logger";
import { inSavepoint, inTransaction, sql, sqlPool, type SqlClient } from "@/server/sql";
import { auditRetailInvariants, type InvariantCheck, type InvariantViolation, type RetailAudit } from "./retail-invariants";

/** Runs kept: a day of runs a minute apart. */
const KEPT_RUNS = 1_440;

export type InvariantAuditRun = { startedAt: Date; finishedAt: Date; checks: InvariantCheck[]; violations: InvariantViolation[] };

/**
 * A check another context adds to the run, handed in where the worker is composed (workers/checkout.ts), so Retail
 * never reaches into it: it reads through the run's snapshot and answers in the audit's shape.
 */
export type AddedInvariantCheck = { rule: string; audit: (client: SqlClient) => Promise<RetailAudit> };

/**
 * One pass of the standing auditor (every checkout worker runs it periodically; one at a time across all of them,
 * by an advisory lock): every Retail invariant and every added check, read from one snapshot (REPEATABLE READ), so
 * a checkout committing meanwhile can never look half done. The run is stored for the admin monitor; a violation is
 * logged at error level. Returns null when another worker is auditing right now.
 */
export async function runInvariantAudit(options: { alsoCheck?: readonly AddedInvariantCheck[] } = {}): Promise<InvariantAuditRun | null> {
  const run = await inTransaction(async (tx) => {
    const [lock] = await tx.rows<{ acquired: boolean }>(sql`SELECT pg_try_advisory_xact_lock(hashtext('invariant-audit')) AS acquired`);
    if (!lock?.acquired) return null;
    const [started] = await tx.rows<{ now: Date }>(sql`SELECT now()`);
    const audit = await auditRetailInvariants(tx);
    for (const added of options.alsoCheck ?? []) {
      const part = await auditAdded(tx, added);
      audit.checks.push(...part.checks);
      audit.violations.push(...part.violations);
    }
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

/**
 * An added check that fails (a bug, a table it cannot read) is a violation of its rule, and the rest of the run is
 * kept; only the database being away fails the run, to be run again.
 */
async function auditAdded(tx: SqlClient, added: AddedInvariantCheck): Promise<RetailAudit> {
  try {
    return await inSavepoint(tx, () => added.audit(tx));
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    const detail = `the check itself failed: ${error instanceof Error ? error.message : String(error)}`;
    return { checks: [{ rule: added.rule, checked: 0 }], violations: [{ rule: added.rule, subject: "the audit", detail }] };
  }
}

/** The latest run, for the admin monitor; null before the first. */
export async function latestInvariantAudit(): Promise<InvariantAuditRun | null> {
  const [row] = await sqlPool.rows<{ started_at: Date; finished_at: Date; checks: InvariantCheck[]; violations: InvariantViolation[] }>(sql`
    SELECT started_at, finished_at, checks, violations FROM invariant_audits ORDER BY id DESC LIMIT 1`);
  return row ? { startedAt: row.started_at, finishedAt: row.finished_at, checks: row.checks, violations: row.violations } : null;
}
