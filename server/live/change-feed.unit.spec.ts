import { describe, expect, it } from "vitest";
import { ChannelFeed } from "./change-feed";

describe("ChannelFeed", () => {
  it("folds the changes announced while its reader was busy into one wake-up", async () => {
    const feed = new ChannelFeed();
    feed.announce();
    feed.announce();
    feed.announce();
    expect(await feed.next(1_000)).toBe("changed");
    expect(await feed.next(20)).toBe("quiet");
  });

  it("wakes a waiting reader when a change is announced", async () => {
    const feed = new ChannelFeed();
    const woke = feed.next(5_000);
    feed.announce();
    expect(await woke).toBe("changed");
  });

  it("says quiet after the given time without a change, so the reader looks again anyway", async () => {
    const feed = new ChannelFeed();
    const started = Date.now();
    expect(await feed.next(30)).toBe("quiet");
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it("fails its reader, now and later, once it broke; a change after that is ignored", async () => {
    const feed = new ChannelFeed();
    const waiting = feed.next(5_000);
    feed.fail(new Error("connection lost"));
    await expect(waiting).rejects.toThrow("connection lost");
    feed.announce();
    await expect(feed.next(10)).rejects.toThrow("connection lost");
  });

  it("returns closed to a waiting reader and tells its owner once, however often it is closed", async () => {
    let told = 0;
    const feed = new ChannelFeed(() => (told += 1));
    const waiting = feed.next(5_000);
    feed.close();
    feed.close();
    expect(await waiting).toBe("closed");
    expect(await feed.next(10)).toBe("closed");
    expect(told).toBe(1);
  });

  it("has one reader at a time", async () => {
    const feed = new ChannelFeed();
    const first = feed.next(5_000);
    await expect(feed.next(10)).rejects.toThrow(/one reader/);
    feed.close();
    await first;
  });
});
