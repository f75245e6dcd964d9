import { env } from "@/server/env";
import type { ChangeFeed } from "@/server/live/change-feed";
import { createChangeSubscriber } from "@/server/live/change-subscriber";
import { liveChannel } from "@/server/live/live-channel";
import { publishChanges } from "@/server/live/publish-changes";
import { getReadyProducerConnection, producerCall, subscriberRedisUrls } from "@/server/queues/connections";

/**
 * Where live changes meet Redis in this process. Every process announces on the shared producer connection (a
 * worker after each saga change commits, the web process after a checkout starts); only a process that serves
 * streams (the web process) ever opens the subscriber, on its first stream.
 */

const subscriber = createChangeSubscriber({
  // REDIS_URL, or the cluster's nodes in turn (see ChangeSubscriberOptions).
  redisUrl: subscriberRedisUrls(),
  connectionName: `unicorn-live-${process.pid}`,
  connectTimeoutMs: env.REDIS_CONNECT_TIMEOUT_MS,
  commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
});

/** The saga engine's change listener: one message per saga on its channel. */
export async function announceSagaChanges(sagaIds: readonly string[]): Promise<void> {
  await producerCall(async () => publishChanges(await getReadyProducerConnection(), sagaIds.map(sagaChannel)));
}

/** A feed of one saga's changes, heard through this process's one subscriber connection. */
export function watchSaga(sagaId: string, signal?: AbortSignal): Promise<ChangeFeed> {
  return subscriber.watch(sagaChannel(sagaId), signal);
}

/** Ends every stream's feed and closes the subscriber connection (tests, shutdown). */
export function closeLiveChanges(): Promise<void> {
  return subscriber.close();
}

function sagaChannel(sagaId: string): string {
  return liveChannel("saga", sagaId);
}
