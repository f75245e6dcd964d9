import { decidePoints } from "@/server/loyalty/points/decide-points";
import type { PointCommand } from "@/server/loyalty/points/point-commands";
import { evolvePoints, initialPointsState } from "@/server/loyalty/points/points-state";
import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { inTransaction, type SqlClient } from "@/server/sql";
import { appendPointEvents, claimMessage, eventsCausedBy, readPointStream } from "./point-event-store";
import { retryOnStreamConflict } from "./retry-on-stream-conflict";

export type HandledCommand = {
  /** The events this message caused (on a repeat: the ones it caused the first time). */
  events: StoredPointEvent[];
  /** True when the message had been acted on before and nothing new was written. */
  repeated: boolean;
};

/**
 * Runs one command against a customer's points: reads the stream, claims the message, decides, appends — all in one
 * transaction, so the message counts as handled exactly when its events exist. When another writer appended first,
 * it reads and decides again. A DomainError from the decider (not enough points, bad input) reaches the caller.
 */
export async function handlePointCommand(options: {
  customerId: string;
  command: PointCommand;
  /** Id of what asked for the command (a PurchaseCompleted event id, a redemption key): acted on at most once. */
  messageId: string;
  now: Date;
  /**
   * Runs in the command's transaction once it is decided (or found to be a repeat), e.g. to write an audit line that
   * must exist exactly when the change does. Throwing undoes the command.
   */
  inSameTransaction?: (tx: SqlClient, handled: HandledCommand) => Promise<void>;
}): Promise<HandledCommand> {
  return retryOnStreamConflict(() =>
    inTransaction(async (tx) => {
      const handled = await decideAndAppend(tx, options);
      await options.inSameTransaction?.(tx, handled);
      return handled;
    }),
  );
}

async function decideAndAppend(
  tx: SqlClient,
  options: { customerId: string; command: PointCommand; messageId: string; now: Date },
): Promise<HandledCommand> {
  const history = await readPointStream(tx, options.customerId);
  if (!(await claimMessage(tx, options.messageId, options.customerId))) {
    return { events: await eventsCausedBy(tx, options.customerId, options.messageId), repeated: true };
  }
  const state = history.reduce((current, stored) => evolvePoints(current, stored.event), initialPointsState());
  const decided = decidePoints(options.command, state, { now: options.now });
  if (decided.length === 0) return { events: [], repeated: false };
  const events = await appendPointEvents(tx, {
    streamId: options.customerId,
    expectedVersion: history.at(-1)?.version ?? 0,
    events: decided,
    occurredAt: options.now,
    causedBy: options.messageId,
  });
  return { events, repeated: false };
}
