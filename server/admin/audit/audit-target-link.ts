import {
  ADJUST_POINTS_ACTION,
  CAMPAIGN_RULE_ACTIONS,
  REMOVE_QUEUE_JOB_ACTION,
  RETRY_PARKED_STREAM_ACTION,
  RETRY_QUEUE_JOB_ACTION,
} from "./audit-actions";

/** Where an audit line's target lives in the console, and what to call the link. */
export type AuditTargetLink = { href: string; label: string };

const SAGA_ACTIONS = new Set(["retry-compensation", "redrive", "cancel"]);
const RULE_ACTIONS = new Set<string>(Object.values(CAMPAIGN_RULE_ACTIONS));
const QUEUE_JOB_ACTIONS = new Set<string>([RETRY_QUEUE_JOB_ACTION, REMOVE_QUEUE_JOB_ACTION]);
const QUEUE_PAGE_PANELS: Record<string, { anchor: string; label: string }> = {
  "redrive-dead-letter": { anchor: "dead-letters-heading", label: "Outbox dead letters" },
  [RETRY_PARKED_STREAM_ACTION]: { anchor: "parked-streams-heading", label: "Parked projection streams" },
  "rebuild-projections": { anchor: "projections-heading", label: "Loyalty projections" },
};

const short = (id: string) => id.slice(0, 8);

/**
 * The page an audit line's target is on, or null when there is none to show (an action this list does not know, a
 * line without a target where one is needed). Pure: the audit page and its tests call it alike.
 *
 * - a saga action → /admin/sagas/<sagaId>
 * - a campaign rule change → its row on /admin/rules (#rule-<lineageId>; the target is the rule's lineage)
 * - a points adjustment → /admin/points?customerId=<id>, which lists that customer's adjustments
 * - a queue job → /admin/queues/<queueName>/jobs/<jobId> (the target is "<queueName>/<jobId>")
 * - the redemption rule → its panel on /admin/rules; a simulation → its run; dead letters, parked streams and
 *   rebuilds → their panel on /admin/queues
 */
export function auditTargetLink(entry: { action: string; targetId: string | null }): AuditTargetLink | null {
  const { action, targetId } = entry;
  if (action === "update-redemption-rule") return { href: "/admin/rules#redemption-rule-heading", label: "Redemption rule" };
  if (action === "bulk-retry") return { href: "/admin/sagas?status=needs_attention", label: "Sagas needing attention" };
  const panel = QUEUE_PAGE_PANELS[action];
  if (panel) return { href: `/admin/queues#${panel.anchor}`, label: targetId ? `${panel.label}: ${short(targetId)}` : panel.label };
  if (!targetId) return null;
  const id = encodeURIComponent(targetId);
  if (SAGA_ACTIONS.has(action)) return { href: `/admin/sagas/${id}`, label: `Saga ${short(targetId)}` };
  if (RULE_ACTIONS.has(action)) return { href: `/admin/rules#rule-${id}`, label: `Rule ${short(targetId)}` };
  if (action === ADJUST_POINTS_ACTION) return { href: `/admin/points?customerId=${id}`, label: `Customer ${short(targetId)}` };
  if (action === "flash-sale-simulation") return { href: `/admin/simulator?run=${id}`, label: `Run ${short(targetId)}` };
  if (QUEUE_JOB_ACTIONS.has(action)) return queueJobLink(targetId);
  return null;
}

/** "<queueName>/<jobId>": the job id may itself hold slashes (BullMQ allows them), the queue name does not. */
function queueJobLink(targetId: string): AuditTargetLink | null {
  const slash = targetId.indexOf("/");
  if (slash <= 0 || slash === targetId.length - 1) return null;
  const queue = targetId.slice(0, slash);
  const jobId = targetId.slice(slash + 1);
  return { href: `/admin/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(jobId)}`, label: `Job ${jobId} in ${queue}` };
}
