import { createHash } from "node:crypto";
import type { ChangeFeed } from "@/server/live/change-feed";
import { isFinished } from "@/server/saga/saga-status";
import { getCheckoutStatus, type CheckoutStatus } from "./get-checkout-status";

/**
 * A checkout followed live: where it stands now, then again each time its saga changes, until it finishes. Every
 * status is read from PostgreSQL (what the saga's channel carries is only "read again"), so a lost, repeated or late
 * message can never show a wrong state, only an unchanged one; and a quiet channel is read again now and then, so a
 * lost message costs a few seconds at most.
 */

/** A status with its id: a fingerprint of what it says, so that an unchanged status is never sent twice. */
export type CheckoutStatusUpdate = { id: string; status: CheckoutStatus };

/** Listens to a saga's changes (the process's live channel subscriber, in production). */
export type WatchSaga = (sagaId: string, signal?: AbortSignal) => Promise<ChangeFeed>;

/** How long a quiet channel is trusted before the status is read again anyway. */
export const QUIET_READ_AFTER_MS = 5_000;

/**
 * Checks that the checkout is the customer's (anyone else's, or an unknown id, is NOT_FOUND, before anything is sent)
 * and returns its updates. `lastUpdateId` is the id of the update the follower already has, when it reconnects: that
 * status is not sent again.
 */
export async function followCheckoutStatus(options: {
  customerId: string;
  checkoutId: string;
  lastUpdateId?: string | null;
  watchSaga: WatchSaga;
  /** Ends the updates when the follower goes away (the request's abort signal). */
  signal?: AbortSignal;
  quietReadAfterMs?: number;
}): Promise<AsyncIterable<CheckoutStatusUpdate>> {
  const owner = { customerId: options.customerId, checkoutId: options.checkoutId };
  let feed: ChangeFeed;
  try {
    // Listening before the first read: a change that commits between the two is still heard.
    feed = await options.watchSaga(options.checkoutId, options.signal);
  } catch (error) {
    // Someone else's checkout is NOT_FOUND whatever the state of Redis.
    await getCheckoutStatus(owner);
    throw error;
  }
  let first: CheckoutStatus;
  try {
    first = await getCheckoutStatus(owner);
  } catch (error) {
    feed.close();
    throw error;
  }
  return updates({ feed, first, owner, sent: options.lastUpdateId ?? null, quietMs: options.quietReadAfterMs ?? QUIET_READ_AFTER_MS });
}

async function* updates(args: {
  feed: ChangeFeed;
  first: CheckoutStatus;
  owner: { customerId: string; checkoutId: string };
  sent: string | null;
  quietMs: number;
}): AsyncGenerator<CheckoutStatusUpdate, void> {
  const { feed, owner, quietMs } = args;
  let status = args.first;
  let sent = args.sent;
  try {
    for (;;) {
      const id = fingerprint(status);
      if (id !== sent) {
        yield { id, status };
        sent = id;
      }
      if (isFinished(status.status)) return;
      if ((await feed.next(quietMs)) === "closed") return;
      status = await getCheckoutStatus(owner);
    }
  } finally {
    feed.close();
  }
}

/** Short, and the same for the same status in any process (it is the SSE event id a reconnecting browser sends back). */
function fingerprint(status: CheckoutStatus): string {
  return createHash("sha256").update(JSON.stringify(status)).digest("base64url").slice(0, 22);
}
