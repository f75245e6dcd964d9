import type { StockLevels } from "@/server/retail/catalog/stock-levels";
import { watchStockLevels } from "./stock-watch";

/**
 * The stock levels as an async stream for a subscription: the levels now, then each change. A slow reader skips
 * levels it had no time to send — only the latest matters on a page — and the stream ends when `signal` aborts.
 */
export async function* followStockLevels(signal: AbortSignal | undefined): AsyncGenerator<StockLevels> {
  let pending: StockLevels | null = null;
  let wake: (() => void) | null = null;
  const stop = watchStockLevels((levels) => {
    pending = levels;
    wake?.();
  });
  const aborted = new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
  try {
    while (!signal?.aborted) {
      if (!pending) {
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
        wake = null;
        continue;
      }
      const levels: StockLevels = pending;
      pending = null;
      yield levels;
    }
  } finally {
    stop();
  }
}
