import type { Metric, Registry } from "prom-client";

/**
 * A histogram for the door's hot path: prom-client's own validates the label values, builds their hash and allocates
 * on every observation (about 1 µs, and garbage on each request); here a series is looked up once (`series()`) and an
 * observation is a bucket search and three additions. It takes part in a prom-client registry as any metric does
 * (its get() answers prom-client's JSON shape), so it is published and printed like the others.
 */
export type HotPathHistogram<L extends string> = {
  /** The function that records one value in the series of these label values (keep it: finding it is the slow part). */
  series(labels: Record<L, string>): (value: number) => void;
};

type Series = { labels: Record<string, string>; counts: Float64Array; sum: number; count: number };

export function createHotPathHistogram<L extends string>(config: {
  name: string;
  help: string;
  labelNames: readonly L[];
  buckets: readonly number[];
  registers: Registry[];
}): HotPathHistogram<L> {
  const { name, help, buckets } = config;
  const all = new Map<string, Series>();

  function series(labels: Record<L, string>): (value: number) => void {
    const key = JSON.stringify(config.labelNames.map((label) => labels[label]));
    let kept = all.get(key);
    if (!kept) {
      kept = { labels: { ...labels }, counts: new Float64Array(buckets.length), sum: 0, count: 0 };
      all.set(key, kept);
    }
    const found = kept;
    return (value) => {
      for (let index = 0; index < buckets.length; index += 1) {
        if (value <= buckets[index]!) {
          found.counts[index]! += 1;
          break;
        }
      }
      found.sum += value;
      found.count += 1;
    };
  }

  /** Cumulative buckets per series, +Inf being the count, then the sum and the count: prom-client's histogram JSON. */
  const values = () =>
    [...all.values()].flatMap(({ labels, counts, sum, count }) => {
      let below = 0;
      const bucketValues = buckets.map((le, index) => {
        below += counts[index]!;
        return { metricName: `${name}_bucket`, labels: { le, ...labels }, value: below };
      });
      return [
        ...bucketValues,
        { metricName: `${name}_bucket`, labels: { le: "+Inf", ...labels }, value: count },
        { metricName: `${name}_sum`, labels, value: sum },
        { metricName: `${name}_count`, labels, value: count },
      ];
    });

  const metric = {
    name,
    help,
    type: "histogram",
    aggregator: "sum",
    get: async () => ({ name, help, type: "histogram", aggregator: "sum", values: values() }),
    reset: () => all.clear(),
  };
  for (const registry of config.registers) registry.registerMetric(metric as unknown as Metric);
  return { series };
}
