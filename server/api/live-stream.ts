import { tracked, type TrackedEnvelope } from "@trpc/server";
import { transportErrorFor } from "./error-mapping";

/**
 * A domain's stream of updates as a subscription's output: each update becomes a tracked SSE event (its id is what a
 * reconnecting client sends back as `lastEventId`), and a failure in the middle of the stream becomes the same typed
 * error a query would give. (Errors thrown before the stream starts go through the procedure's middleware as usual;
 * once it runs, only this wrapper sees them.)
 */
export async function* trackedUpdates<Update, Data>(
  updates: AsyncIterable<Update>,
  toEvent: (update: Update) => [id: string, data: Data],
): AsyncGenerator<TrackedEnvelope<Data>, void> {
  try {
    for await (const update of updates) yield tracked(...toEvent(update));
  } catch (error) {
    throw transportErrorFor(error) ?? error;
  }
}
