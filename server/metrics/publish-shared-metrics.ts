import { AggregatorRegistry, type Registry } from "prom-client";
import { getReadyProducerConnection, producerCall } from "@/server/queues/connections";
import { sharedRegistry } from "./shared-metrics";

/**
 * The shared figures (shared-metrics.ts) in Redis: ONE hash holding every series' running total, to which each
 * process adds (HINCRBYFLOAT, in one MULTI) what it counted since its last publish. Why a hash of totals rather than
 * each process's registry under a key with a TTL, merged at scrape time: a worker that restarts (a deploy, a crash)
 * would take its counts with it, the sum would drop, and Prometheus would read the drop as a reset and the next
 * scrape's whole sum as new work (a spike in rate()). Totals kept outside the processes only ever grow; at worst a
 * process that dies loses what it counted since its last publish (a few seconds), and a Redis that loses its data
 * reads as an ordinary counter reset. The hash holds one field per series and bucket: bounded by the label values
 * (saga types x steps x phases, routes x methods x status classes), not by traffic.
 */
export const SHARED_METRICS_KEY = "unicorn:metrics:shared";

type MetricsJson = Awaited<ReturnType<Registry["getMetricsAsJSON"]>>;
type MetricJson = MetricsJson[number];

/** One series (or one bucket, sum or count of a histogram) as a hash field: the metric, the sample's name, its labels. */
function fieldOf(metric: string, sample: string, labels: Record<string, string | number>): string {
  return JSON.stringify([metric, sample, Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))]);
}

/** This process's running totals, by field. */
async function localTotals(registry: Registry): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const value of metric.values as { value: number; labels: Record<string, string | number>; metricName?: string }[]) {
      totals.set(fieldOf(metric.name, value.metricName ?? metric.name, value.labels), value.value);
    }
  }
  return totals;
}

/** Publishes one registry's counts (the process's sharedRegistry; tests give their own to play another process). */
export function createSharedMetricsPublisher(registry: Registry = sharedRegistry) {
  let published = new Map<string, number>();
  let queue: Promise<unknown> = Promise.resolve();

  /** Adds what was counted since the last successful publish; a failed one is retried, in full, by the next. */
  async function publishOnce(): Promise<void> {
    const totals = await localTotals(registry);
    // A series' first publish writes even its zeros: a histogram missing its lower buckets would mislead quantiles.
    const deltas = [...totals].filter(([field, total]) => !published.has(field) || total !== published.get(field));
    if (deltas.length === 0) return;
    await producerCall(async () => {
      const transaction = (await getReadyProducerConnection()).multi();
      for (const [field, total] of deltas) transaction.hincrbyfloat(SHARED_METRICS_KEY, field, total - (published.get(field) ?? 0));
      const results = await transaction.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error("The metrics transaction was discarded");
    });
    published = totals;
  }

  /** One publish at a time: two overlapping ones would both add the same delta. */
  function publish(): Promise<void> {
    const run = queue.then(publishOnce);
    queue = run.catch(() => undefined);
    return run;
  }

  return { publish };
}

export const publishSharedMetrics = createSharedMetricsPublisher().publish;

/** What every process has published, as a registry prom-client can print (the help and type from this code's own definitions). */
export async function readSharedMetrics(): Promise<Registry> {
  const fields = await producerCall(async () => (await getReadyProducerConnection()).hgetall(SHARED_METRICS_KEY));
  return AggregatorRegistry.aggregate([await sharedMetricsFrom(fields)]);
}

/** The hash's fields back into prom-client's JSON shape, samples in the order the text format wants. */
async function sharedMetricsFrom(fields: Record<string, string>): Promise<MetricsJson> {
  const known = new Map((await sharedRegistry.getMetricsAsJSON()).map((metric) => [metric.name, metric]));
  const byMetric = new Map<string, { metricName: string; labels: Record<string, string>; value: number }[]>();
  for (const [field, text] of Object.entries(fields)) {
    const parsed = parseField(field);
    // A series of a metric this version of the code no longer has (or not yet): left out rather than guessed at.
    if (!parsed || !known.has(parsed.metric)) continue;
    const samples = byMetric.get(parsed.metric) ?? [];
    samples.push({ metricName: parsed.sample, labels: parsed.labels, value: Number(text) });
    byMetric.set(parsed.metric, samples);
  }
  return [...byMetric].map(([name, samples]): MetricJson => {
    const { help, type } = known.get(name)!;
    // No collect of its own: the values are the totals read from Redis.
    return { name, help, type, aggregator: "sum", collect: () => undefined, values: samples.sort(sampleOrder) };
  });
}

function parseField(field: string): { metric: string; sample: string; labels: Record<string, string> } | null {
  try {
    const [metric, sample, labels] = JSON.parse(field) as [string, string, [string, string | number][]];
    return { metric, sample, labels: Object.fromEntries(labels.map(([name, value]) => [name, String(value)])) };
  } catch {
    return null;
  }
}

type Sample = { metricName: string; labels: Record<string, string> };

/** A histogram's series together, each with its buckets by `le` (+Inf last), then its sum and its count. */
function sampleOrder(a: Sample, b: Sample): number {
  const series = (sample: Sample) => JSON.stringify(Object.entries(sample.labels).filter(([name]) => name !== "le"));
  const rank = (sample: Sample) => (sample.metricName.endsWith("_bucket") ? 0 : sample.metricName.endsWith("_sum") ? 1 : 2);
  const le = (sample: Sample) => (sample.labels.le === "+Inf" ? Infinity : Number(sample.labels.le ?? 0));
  const bySeries = series(a).localeCompare(series(b));
  return bySeries || rank(a) - rank(b) || le(a) - le(b);
}
