/**
 * One listener's view of a live channel: "something changed since you last looked", coalesced. Messages that arrive
 * while the listener is busy reading fold into one wake-up, since each one only says "read again"; a burst of
 * changes costs one read, not one per message.
 */

/** Why `next` returned: a change was announced, nothing was for `quietMs`, or the feed was closed. */
export type FeedWake = "changed" | "quiet" | "closed";

export interface ChangeFeed {
  /**
   * Waits for the next change. Returns at once when one was announced since the last call; after `quietMs` without
   * one, returns "quiet" (a listener reads again then too, so a message lost on the way costs seconds, never a wrong
   * page). Throws when the feed broke (its connection to Redis was lost).
   */
  next(quietMs: number): Promise<FeedWake>;
  /** Stops listening. Idempotent; a waiting `next` returns "closed". */
  close(): void;
}

type Waiter = { resolve(wake: FeedWake): void; reject(error: unknown): void; timer: NodeJS.Timeout };

/** The feed's state, driven by its subscriber: `announce` on a message, `fail` when the connection broke. */
export class ChannelFeed implements ChangeFeed {
  private announced = false;
  private broken: { error: unknown } | null = null;
  private closed = false;
  private waiter: Waiter | null = null;

  constructor(private readonly onClose: (feed: ChannelFeed) => void = () => {}) {}

  announce(): void {
    if (this.closed || this.broken) return;
    if (this.waiter) this.settle((waiter) => waiter.resolve("changed"));
    else this.announced = true;
  }

  fail(error: unknown): void {
    if (this.closed || this.broken) return;
    this.broken = { error };
    this.settle((waiter) => waiter.reject(error));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.settle((waiter) => waiter.resolve("closed"));
    this.onClose(this);
  }

  next(quietMs: number): Promise<FeedWake> {
    if (this.waiter) return Promise.reject(new Error("A change feed has one reader: wait for next() before calling it again"));
    if (this.broken) return Promise.reject(this.broken.error);
    if (this.closed) return Promise.resolve("closed");
    if (this.announced) {
      this.announced = false;
      return Promise.resolve("changed");
    }
    return new Promise<FeedWake>((resolve, reject) => {
      const timer = setTimeout(() => this.settle((waiter) => waiter.resolve("quiet")), quietMs);
      this.waiter = { resolve, reject, timer };
    });
  }

  private settle(action: (waiter: Waiter) => void): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = null;
    clearTimeout(waiter.timer);
    action(waiter);
  }
}
