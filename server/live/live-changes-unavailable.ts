/**
 * Live changes cannot be listened for right now: Redis is unreachable, or the subscriber connection was lost. A
 * temporary failure (the API answers SERVICE_UNAVAILABLE, which tRPC's client retries); pages ask instead meanwhile.
 */
export class LiveChangesUnavailable extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "LiveChangesUnavailable";
  }
}
