import { formatCount } from "@/app/_lib/format-count";

/** One minute of the saga throughput chart. */
export type SagaMinuteView = { minute: Date; completed: number; compensated: number };

export type ThroughputTotals = {
  completed: number;
  compensated: number;
  /** The minute with the most sagas finished, or null when none finished in the hour. */
  busiest: { minute: Date; finished: number } | null;
};

/** What the hour adds up to: the chart's text alternative is built from it. Pure. */
export function throughputTotals(minutes: SagaMinuteView[]): ThroughputTotals {
  let busiest: ThroughputTotals["busiest"] = null;
  let completed = 0;
  let compensated = 0;
  for (const row of minutes) {
    completed += row.completed;
    compensated += row.compensated;
    const finished = row.completed + row.compensated;
    if (finished > 0 && (!busiest || finished > busiest.finished)) busiest = { minute: row.minute, finished };
  }
  return { completed, compensated, busiest };
}

const sagas = (count: number) => (count === 1 ? "1 saga" : `${formatCount(count)} sagas`);

/** "In the last hour: 120 completed and 3 compensated; the busiest minute finished 40 sagas." */
export function throughputSentence(totals: ThroughputTotals): string {
  if (!totals.busiest) return "No saga finished in the last hour.";
  return (
    `In the last hour: ${formatCount(totals.completed)} completed and ${formatCount(totals.compensated)} compensated; ` +
    `the busiest minute finished ${sagas(totals.busiest.finished)}.`
  );
}
