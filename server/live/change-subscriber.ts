import { Redis } from "ioredis";
import { logger } from "@/server/logger";
import { ChannelFeed, type ChangeFeed } from "./change-feed";
import { decodeChangeMessage } from "./change-message";
import { LiveChangesUnavailable } from "./live-changes-unavailable";

/**
 * A process's ONE Redis connection in subscriber mode, shared by every open stream: opened on the first watch, a
 * channel subscribed exactly while at least one feed watches it. Streams never open connections of their own, so a
 * thousand open checkout pages cost one connection, not a thousand.
 *
 * It never reconnects by itself: messages published while it was away are lost, so the streams relying on it are
 * failed (their pages fall back to asking) instead of waiting on silently. The next watch opens a new connection.
 */

export type ChangeSubscriberOptions = {
  /**
   * Where to connect, or where to connect next, asked again on each new connection. On a Redis Cluster any node
   * hears every PUBLISH (the cluster passes each one on to all its nodes), so the runtime hands out the nodes in turn:
   * a subscriber lost with its node fails its feeds, as on one Redis, and the next watch connects to another node.
   * (ioredis' Cluster client would move its subscriber to another node by itself, silently, and the messages published
   * in between would be lost without any feed knowing: the pages would wait for news that never comes.)
   */
  redisUrl: string | (() => string);
  /** Names the connection in Redis' CLIENT LIST, so an operator (or a test) can find it. */
  connectionName: string;
  /** How long opening the connection may take (REDIS_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs: number;
  /** How long a SUBSCRIBE or UNSUBSCRIBE waits for Redis' answer (REDIS_COMMAND_TIMEOUT_MS); a watch fails after it. */
  commandTimeoutMs: number;
};

export type ChangeSubscriber = {
  /**
   * A feed of the channel's changes, once Redis has confirmed the subscription: a change committed after this
   * resolves will be heard. Aborting `signal` closes the feed, as `feed.close()` does.
   */
  watch(channel: string, signal?: AbortSignal): Promise<ChangeFeed>;
  /** Fails every open feed and closes the connection (process shutdown, tests). A later watch opens a new one. */
  close(): Promise<void>;
};

export function createChangeSubscriber(options: ChangeSubscriberOptions): ChangeSubscriber {
  const log = logger.child({ component: "live-changes" });
  let connection: Redis | null = null;
  const feeds = new Map<string, Set<ChannelFeed>>();
  /** Each subscribed channel's SUBSCRIBE, confirmed or on its way: every new feed of the channel waits for it. */
  const subscriptions = new Map<string, Promise<unknown>>();

  function open(): Redis {
    if (connection) return connection;
    const redis = new Redis(typeof options.redisUrl === "function" ? options.redisUrl() : options.redisUrl, {
      connectionName: options.connectionName,
      connectTimeout: options.connectTimeoutMs,
      // Safe in subscriber mode: a command timeout bounds each SUBSCRIBE's answer, not the wait for messages.
      commandTimeout: options.commandTimeoutMs,
      retryStrategy: () => null,
      autoResubscribe: false,
      maxRetriesPerRequest: 0,
    });
    redis.on("message", (channel: string, text: string) => {
      // Only "read again" matters, and reading again is always safe: an unreadable message still counts.
      if (!decodeChangeMessage(text)) log.warn({ channel }, "Unreadable message on a live channel");
      for (const feed of feeds.get(channel) ?? []) feed.announce();
    });
    // Without an `error` listener ioredis would report every failure as an unhandled error event.
    redis.on("error", (error: unknown) => breakDown(redis, error));
    redis.on("close", () => breakDown(redis, new Error("The connection closed")));
    connection = redis;
    return redis;
  }

  /** Gives the connection up and fails every feed it carried; a no-op for a connection already given up. */
  function breakDown(redis: Redis, cause: unknown): void {
    if (connection !== redis) return;
    connection = null;
    redis.disconnect();
    const failed = failEveryFeed(new LiveChangesUnavailable("Live updates are unavailable right now.", { cause }));
    // An idle connection lost (no stream on it) costs nobody anything; a busy one sends pages back to asking.
    log[failed > 0 ? "error" : "warn"]({ err: cause, feeds: failed }, "Live changes subscriber lost; its streams end with an error");
  }

  function failEveryFeed(error: LiveChangesUnavailable): number {
    const watching = [...feeds.values()].flatMap((channelFeeds) => [...channelFeeds]);
    feeds.clear();
    subscriptions.clear();
    for (const feed of watching) feed.fail(error);
    return watching.length;
  }

  function release(channel: string, feed: ChannelFeed): void {
    const channelFeeds = feeds.get(channel);
    if (!channelFeeds?.delete(feed) || channelFeeds.size > 0) return;
    feeds.delete(channel);
    subscriptions.delete(channel);
    // Commands run in order on the connection: a SUBSCRIBE sent after this one leaves the channel subscribed.
    connection?.unsubscribe(channel).catch((error: unknown) => log.debug({ err: error, channel }, "UNSUBSCRIBE failed"));
  }

  async function watch(channel: string, signal?: AbortSignal): Promise<ChangeFeed> {
    const redis = open();
    const stopOnAbort = () => feed.close();
    const feed = new ChannelFeed(() => {
      signal?.removeEventListener("abort", stopOnAbort);
      release(channel, feed);
    });
    const channelFeeds = feeds.get(channel) ?? new Set<ChannelFeed>();
    feeds.set(channel, channelFeeds.add(feed));
    let subscribed = subscriptions.get(channel);
    if (!subscribed) {
      subscribed = redis.subscribe(channel);
      subscriptions.set(channel, subscribed);
    }
    if (signal?.aborted) feed.close();
    else signal?.addEventListener("abort", stopOnAbort, { once: true });
    try {
      await subscribed;
    } catch (error) {
      feed.close();
      breakDown(redis, error);
      throw new LiveChangesUnavailable("Live updates are unavailable right now.", { cause: error });
    }
    return feed;
  }

  async function close(): Promise<void> {
    const redis = connection;
    if (!redis) return;
    connection = null;
    // Failed, not ended: a client whose stream ends without a finished status connects again (to another server).
    failEveryFeed(new LiveChangesUnavailable("Live updates stopped: the server is shutting down."));
    await redis.quit().catch(() => redis.disconnect());
  }

  return { watch, close };
}
