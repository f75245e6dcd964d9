import { sql, sqlPool, type SqlClient } from "@/server/sql";

export type AuditActor = { id: string; email: string };

/** Writes one line of the audit log: who did what to which target, when, and how it turned out. */
export async function recordAudit(
  entry: { actor: AuditActor; action: string; targetId?: string; outcome: string; details?: Record<string, unknown> },
  client: SqlClient = sqlPool,
): Promise<void> {
  await client.count(sql`
    INSERT INTO admin_audit_log (actor_id, actor_email, action, target_id, outcome, details)
    VALUES (${entry.actor.id}::uuid, ${entry.actor.email}, ${entry.action}, ${entry.targetId ?? null}, ${entry.outcome},
            ${JSON.stringify(entry.details ?? {})}::jsonb)`);
}
