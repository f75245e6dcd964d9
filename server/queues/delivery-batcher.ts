/**
 * Gathers deliveries that arrive while earlier ones are still being handled into batches (group commit). When a
 * batch slot is free a delivery starts at once, alone, so an idle worker adds no delay; under load, deliveries wait
 * for the next free slot and go together, up to `maxBatchSize` at a time.
 *
 *   const run = createDeliveryBatcher((jobs) => sagaEngine.runStepJobs(jobs), { maxBatchSize: 16, maxInFlight: 2 });
 *   await run(job); // resolves or rejects with this job's own result
 */
export type BatchResult<Result> = { ok: true; outcome: Result } | { ok: false; error: unknown };

export type DeliveryBatcherOptions = {
  /** Most deliveries in one batch. */
  maxBatchSize: number;
  /** Most batches running at once. */
  maxInFlight: number;
};

type Waiting<Item, Result> = { item: Item; resolve(outcome: Result): void; reject(error: unknown): void };

export function createDeliveryBatcher<Item, Result>(
  runBatch: (items: Item[]) => Promise<BatchResult<Result>[]>,
  options: DeliveryBatcherOptions,
): (item: Item) => Promise<Result> {
  const waiting: Waiting<Item, Result>[] = [];
  let inFlight = 0;
  let startScheduled = false;

  function startBatches(): void {
    startScheduled = false;
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, options.maxBatchSize);
      inFlight += 1;
      void run(batch).finally(() => {
        inFlight -= 1;
        startBatches();
      });
    }
  }

  async function run(batch: Waiting<Item, Result>[]): Promise<void> {
    let results: BatchResult<Result>[];
    try {
      results = await runBatch(batch.map((entry) => entry.item));
    } catch (error) {
      results = batch.map(() => ({ ok: false, error }));
    }
    batch.forEach((entry, index) => {
      const result = results[index] ?? { ok: false, error: new Error("The batch returned no result for this delivery") };
      if (result.ok) entry.resolve(result.outcome);
      else entry.reject(result.error);
    });
  }

  return (item) =>
    new Promise<Result>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      // Deliveries that arrive in the same turn of the event loop start together.
      if (!startScheduled) {
        startScheduled = true;
        setImmediate(startBatches);
      }
    });
}
