/** Redis cannot be reached right now; callers should report a temporary failure, not retry in a loop. */
export class QueueUnavailableError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "QueueUnavailableError";
  }
}

/**
 * What ioredis and BullMQ say when Redis did not answer or the connection is gone: a reply slower than
 * REDIS_COMMAND_TIMEOUT_MS, a connection closed or not yet open (producers keep no offline queue), or one given up after
 * its retries; on a cluster also a shard without a master for the seconds of a failover. Anything else (a script error, an option BullMQ refuses) is a bug, not an outage.
 */
const UNAVAILABLE_MESSAGES = [
  /^Command timed out$/,
  /^Connection is closed\.?$/,
  /^Stream isn't writeable/,
  /^Reached the max retries per request limit/,
  // A Redis Cluster that lost a master and has not promoted its replica yet, or cannot be reached at all.
  /^CLUSTERDOWN /,
  /^Cluster isn't ready and enableOfflineQueue options is false$/,
  /^Too many Cluster redirections/,
  /^None of startup nodes is available$/,
  /^Failed to refresh slots cache/,
  /^Cluster is (ended|disconnected|disconnecting)\.$/,
];
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND"]);

/** The shop's QueueUnavailableError for a failure that means Redis is away; anything else as it was. */
export function asQueueUnavailable(error: unknown): unknown {
  if (error instanceof QueueUnavailableError || !(error instanceof Error)) return error;
  const { code } = error as { code?: unknown };
  const away = UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message)) || (typeof code === "string" && UNAVAILABLE_CODES.has(code));
  return away ? new QueueUnavailableError(`Redis did not answer: ${error.message}`, { cause: error }) : error;
}
