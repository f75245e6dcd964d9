import { describe, expect, it } from "vitest";
import { createDeliveryBatcher, type BatchResult } from "./delivery-batcher";

/** A runBatch whose batches finish only when the test says so. */
function controlledRunner() {
  const batches: { items: number[]; finish(results?: BatchResult<string>[]): void; fail(error: Error): void }[] = [];
  const runBatch = (items: number[]) =>
    new Promise<BatchResult<string>[]>((resolve, reject) => {
      batches.push({
        items,
        finish: (results) => resolve(results ?? items.map((item) => ({ ok: true, outcome: `done ${item}` }))),
        fail: reject,
      });
    });
  return { batches, runBatch };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("the delivery batcher", () => {
  it("starts a delivery at once, alone, while a batch slot is free", async () => {
    const { batches, runBatch } = controlledRunner();
    const run = createDeliveryBatcher(runBatch, { maxBatchSize: 8, maxInFlight: 2 });

    const first = run(1);
    await turn();

    expect(batches.map((batch) => batch.items)).toEqual([[1]]);
    batches[0]?.finish();
    await expect(first).resolves.toBe("done 1");
  });

  it("gathers deliveries that arrive while every slot is busy, up to the batch size", async () => {
    const { batches, runBatch } = controlledRunner();
    const run = createDeliveryBatcher(runBatch, { maxBatchSize: 3, maxInFlight: 1 });
    const results = [run(1)];
    await turn();
    results.push(run(2), run(3), run(4), run(5));
    await turn();
    expect(batches.map((batch) => batch.items)).toEqual([[1]]);

    batches[0]?.finish();
    await turn();
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2, 3, 4]]);
    batches[1]?.finish();
    await turn();
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2, 3, 4], [5]]);
    batches[2]?.finish();
    await expect(Promise.all(results)).resolves.toEqual(["done 1", "done 2", "done 3", "done 4", "done 5"]);
  });

  it("answers each delivery with its own result, and every delivery of a batch that failed as a whole with its error", async () => {
    const { batches, runBatch } = controlledRunner();
    const run = createDeliveryBatcher(runBatch, { maxBatchSize: 8, maxInFlight: 1 });
    const busy = run(0);
    await turn();
    const [one, two, three] = [run(1), run(2), run(3)];
    batches[0]?.finish();
    await busy;
    await turn();

    batches[1]?.finish([{ ok: true, outcome: "paid" }, { ok: false, error: new Error("short") }, { ok: true, outcome: "paid" }]);
    await expect(one).resolves.toBe("paid");
    await expect(two).rejects.toThrow("short");
    await expect(three).resolves.toBe("paid");

    const [four, five] = [run(4), run(5)];
    await turn();
    batches[2]?.fail(new Error("connection lost"));
    await expect(four).rejects.toThrow("connection lost");
    await expect(five).rejects.toThrow("connection lost");
  });
});
