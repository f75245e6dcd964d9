import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { publishSharedMetrics, readSharedMetrics } from "./publish-shared-metrics";
import { collectScrapeFigures, withinDeadline, type Source } from "./scrape-figures";

/**
 * One scrape's text: this web process's own process figures (prom-client's defaults: CPU, memory, event loop lag,
 * GC), the shared figures every process has published to Redis (shared-metrics.ts), and the shop's state read now
 * (scrape-figures.ts). Nothing here throws: a source that is away is reported by unicorn_metrics_source_up.
 */
const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

export async function renderMetrics(options: { sagaTypes: readonly string[] }): Promise<string> {
  const began = performance.now();
  const up = new Map<Source, boolean>();
  const scraped = new Registry();
  const [shared] = await Promise.all([withinDeadline(sharedFigures()), collectScrapeFigures(scraped, { sagaTypes: options.sagaTypes, up })]);
  up.set("redis", (up.get("redis") ?? true) && shared.ok);

  const sourceUp = new Gauge({ name: "unicorn_metrics_source_up", help: "Whether this scrape could read the source (1) or reported without it (0).", labelNames: ["source"], registers: [scraped] });
  for (const [source, ok] of up) sourceUp.set({ source }, ok ? 1 : 0);
  new Gauge({ name: "unicorn_metrics_scrape_seconds", help: "How long the web process took to gather this scrape's figures.", registers: [scraped] }).set(
    (performance.now() - began) / 1_000,
  );
  return Registry.merge([processRegistry, ...(shared.ok ? [shared.value] : []), scraped]).metrics();
}

/** This process publishes first, so that what it counted is in the totals it reads back. */
async function sharedFigures(): Promise<Registry> {
  await publishSharedMetrics();
  return readSharedMetrics();
}
