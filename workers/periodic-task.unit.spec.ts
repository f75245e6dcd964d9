import { afterEach, describe, expect, it, vi } from "vitest";
import { startPeriodicTask } from "./periodic-task";

/** A task whose runs the test ends by hand, counting runs and how many ran at once. */
function controlledTask() {
  const state = { runs: 0, running: 0, mostAtOnce: 0, finish: [] as (() => void)[] };
  const task = () =>
    new Promise<void>((resolve) => {
      state.runs += 1;
      state.running += 1;
      state.mostAtOnce = Math.max(state.mostAtOnce, state.running);
      state.finish.push(() => {
        state.running -= 1;
        resolve();
      });
    });
  return { state, task };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a periodic task", () => {
  it("runs every interval, never two runs at once", async () => {
    vi.useFakeTimers();
    const { state, task } = controlledTask();
    const periodic = startPeriodicTask("test", 1_000, task);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.runs).toBe(1);
    // A slow run delays the next one instead of piling up.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(state.runs).toBe(1);
    state.finish.shift()!();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.runs).toBe(2);
    state.finish.shift()!();
    await periodic.close();
    expect(state.mostAtOnce).toBe(1);
  });

  it("runs at once when asked, however often it is asked, and once more after a run in progress", async () => {
    vi.useFakeTimers();
    const { state, task } = controlledTask();
    const periodic = startPeriodicTask("test", 60_000, task);

    for (let ask = 0; ask < 5; ask += 1) periodic.runSoon();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.runs).toBe(1);

    // Asked (many times) while running: one more run right after, not at the next interval.
    for (let ask = 0; ask < 5; ask += 1) periodic.runSoon();
    state.finish.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.runs).toBe(2);
    state.finish.shift()!();
    await vi.advanceTimersByTimeAsync(59_000);
    expect(state.runs).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.runs).toBe(3);
    state.finish.shift()!();
    expect(state.mostAtOnce).toBe(1);
    await periodic.close();
  });

  it("runs nothing after close, even when asked", async () => {
    vi.useFakeTimers();
    const { state, task } = controlledTask();
    const periodic = startPeriodicTask("test", 1_000, task);
    await periodic.close();
    periodic.runSoon();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(state.runs).toBe(0);
  });
});
