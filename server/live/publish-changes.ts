import type { Redis } from "ioredis";
import { encodeChangeMessage } from "./change-message";

/**
 * Announces that what these channels name has changed: one PUBLISH each, sent together in one round trip. Call it
 * only after the change has committed, so that a listener who reads on hearing it sees the change.
 */
export async function publishChanges(
  connection: Pick<Redis, "pipeline">,
  channels: readonly string[],
  committedAt = Date.now(),
): Promise<void> {
  if (channels.length === 0) return;
  const message = encodeChangeMessage({ committedAt });
  const results = await connection.pipeline(channels.map((channel) => ["publish", channel, message])).exec();
  const failed = results?.find(([error]) => error);
  if (failed) throw failed[0];
}
