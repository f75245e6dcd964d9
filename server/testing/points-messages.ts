import { randomUUID } from "node:crypto";
import type { PointsCommand, PointsReply } from "@/server/contracts/checkout-points-messages";
import { enqueue } from "@/server/queues/define-queue";
import { pointsCommandsQueue } from "@/server/queues/points-commands-queue";
import { pointsRepliesQueue, pointsReplyJobId } from "@/server/queues/points-replies-queue";
import { openRawQueue, waitUntil } from "./checkout-flow";

/*
 * For integration tests of the points commands between the checkout saga and Loyalty (tests only): commands as
 * Retail's outbox sends them, and the replies Loyalty leaves on the points-replies queue.
 */

/** A redeem command for a fresh checkout (override any field). */
export function redeemCommand(fields: { customerId: string; points: number; amountCents?: number; checkoutId?: string }): PointsCommand {
  return {
    type: "RedeemPointsForCheckout",
    checkoutId: fields.checkoutId ?? randomUUID(),
    customerId: fields.customerId,
    points: fields.points,
    amountCents: fields.amountCents ?? 12_000,
    sentAt: new Date().toISOString(),
  };
}

export function restoreCommand(fields: { customerId: string; checkoutId: string }): PointsCommand {
  return { type: "RestorePointsForCheckout", ...fields, sentAt: new Date().toISOString() };
}

/** Sends a command as the outbox relay does, under a job id of its own (a second id: a second delivery). */
export async function sendPointsCommand(command: PointsCommand, jobId: string = randomUUID()): Promise<string> {
  await enqueue(pointsCommandsQueue, "points-command", command, { jobId });
  return jobId;
}

/** Waits until each of these command jobs completed (the reply is on its queue by then). */
export async function waitForCommandJobs(jobIds: readonly string[], options: { timeoutMs?: number } = {}): Promise<void> {
  const raw = openRawQueue(pointsCommandsQueue.name);
  try {
    await waitUntil(
      `${jobIds.length} points command job(s) to complete`,
      async () => (await Promise.all(jobIds.map((id) => raw.queue.getJobState(id)))).every((state) => state === "completed"),
      { timeoutMs: options.timeoutMs ?? 20_000, intervalMs: 100 },
    );
  } finally {
    await raw.close();
  }
}

/** Every reply on the points-replies queue (none is consumed when no checkout worker runs), by job id. */
export async function pointsRepliesOnQueue(): Promise<Map<string, PointsReply>> {
  const raw = openRawQueue(pointsRepliesQueue.name);
  try {
    const jobs = await raw.queue.getJobs(["waiting", "active", "delayed", "completed", "failed", "prioritized"]);
    return new Map(jobs.map((job) => [job.id!, job.data as PointsReply]));
  } finally {
    await raw.close();
  }
}

/** The reply of this kind to this checkout, if one is on the queue. */
export async function pointsReplyOnQueue(checkoutId: string, type: PointsReply["type"]): Promise<PointsReply | undefined> {
  return (await pointsRepliesOnQueue()).get(pointsReplyJobId({ checkoutId, type }));
}

/** Empties both points queues, so no job of an earlier test reaches a worker or a count. */
export async function obliteratePointsQueues(): Promise<void> {
  for (const name of [pointsCommandsQueue.name, pointsRepliesQueue.name]) {
    const raw = openRawQueue(name);
    try {
      await raw.queue.obliterate({ force: true });
    } finally {
      await raw.close();
    }
  }
}
