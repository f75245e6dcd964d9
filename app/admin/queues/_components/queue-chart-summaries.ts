import { formatCount } from "@/app/_lib/format-count";

/** One 15-second slot of the depth chart. */
export type DepthSlotView = { at: Date; depths: Record<string, number> };
/** One step (and phase) of the latency chart. */
export type StepLatencyView = { step: string; phase: "action" | "compensation"; runs: number; p50Ms: number; p95Ms: number };

export type QueueDepthSummary = { queue: string; latest: number | null; peak: number; peakAt: Date | null };

/** Each queue's latest sampled depth and its peak over the slots given: the depth chart's text alternative. Pure. */
export function queueDepthSummaries(queues: readonly string[], slots: readonly DepthSlotView[]): QueueDepthSummary[] {
  return queues.map((queue) => {
    let peak = 0;
    let peakAt: Date | null = null;
    for (const slot of slots) {
      const depth = slot.depths[queue] ?? 0;
      if (depth > peak) [peak, peakAt] = [depth, slot.at];
    }
    const last = slots.at(-1);
    return { queue, latest: last ? (last.depths[queue] ?? 0) : null, peak, peakAt };
  });
}

/** "1.25 s", "85 ms", "2 min 5 s": a step's duration as an operator reads it. Pure. */
export function durationInWords(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1).replace(/\.?0+$/, "")} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ""}`;
}

/** "reserve-stock" or "reserve-stock (undo)": the latency chart's label of a step and phase. Pure. */
export function stepLabel(latency: Pick<StepLatencyView, "step" | "phase">): string {
  return latency.phase === "compensation" ? `${latency.step} (undo)` : latency.step;
}

/** The latency chart's one-sentence summary (its aria label starts with it). Pure. */
export function latencySentence(latencies: readonly StepLatencyView[]): string {
  if (latencies.length === 0) return "No saga step finished in the last hour.";
  const slowest = latencies.reduce((a, b) => (b.p95Ms > a.p95Ms ? b : a));
  const runs = latencies.reduce((sum, each) => sum + each.runs, 0);
  return `${formatCount(runs)} step runs finished in the last hour; the slowest at the 95th percentile is ${stepLabel(slowest)} at ${durationInWords(slowest.p95Ms)}.`;
}
