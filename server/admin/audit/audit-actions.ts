/**
 * The audit log's actions, named once: the code that records them, the admin pages that filter by them, and the audit
 * page's words. Safe to import in the browser (nothing here reaches a database).
 */
export const ADJUST_POINTS_ACTION = "adjust-points";
export const RETRY_PARKED_STREAM_ACTION = "retry-parked-stream";
/** The job browser's actions on a failed job (server/admin/queues/act-on-queue-job.ts); the target is `<queue>/<jobId>`. */
export const RETRY_QUEUE_JOB_ACTION = "retry-queue-job";
export const REMOVE_QUEUE_JOB_ACTION = "remove-queue-job";

/** The campaign rules' changes (server/admin/loyalty/campaign-rule-changes.ts); the target is the rule's lineage id. */
export const CAMPAIGN_RULE_ACTIONS = {
  create: "create-campaign-rule",
  enable: "enable-campaign-rule",
  disable: "disable-campaign-rule",
  edit: "edit-campaign-rule",
  retire: "retire-campaign-rule",
} as const;

/**
 * Every action the log holds, in words, in the order the audit page's filter lists them.
 */
export const AUDIT_ACTION_WORDS = {
  "retry-compensation": "Retried a compensation",
  redrive: "Redrove a saga",
  cancel: "Cancelled a saga",
  "bulk-retry": "Bulk retry of compensations",
  [CAMPAIGN_RULE_ACTIONS.create]: "Created a campaign rule",
  [CAMPAIGN_RULE_ACTIONS.edit]: "Edited a campaign rule",
  [CAMPAIGN_RULE_ACTIONS.enable]: "Turned a campaign rule on",
  [CAMPAIGN_RULE_ACTIONS.disable]: "Turned a campaign rule off",
  [CAMPAIGN_RULE_ACTIONS.retire]: "Retired a campaign rule",
  "update-redemption-rule": "Changed what points are worth",
  [ADJUST_POINTS_ACTION]: "Adjusted a customer's points",
  "redrive-dead-letter": "Redrove an outbox dead letter",
  [RETRY_PARKED_STREAM_ACTION]: "Retried a parked projection stream",
  "rebuild-projections": "Rebuilt the loyalty projections",
  "flash-sale-simulation": "Ran a flash-sale simulation",
  [RETRY_QUEUE_JOB_ACTION]: "Retried a queue job",
  [REMOVE_QUEUE_JOB_ACTION]: "Removed a queue job",
} as const satisfies Record<string, string>;

export type KnownAuditAction = keyof typeof AUDIT_ACTION_WORDS;
export const KNOWN_AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_WORDS) as KnownAuditAction[];

/** An action in words; one this list does not know yet is shown as it was recorded. */
export function auditActionWords(action: string): string {
  return (AUDIT_ACTION_WORDS as Record<string, string>)[action] ?? action;
}
