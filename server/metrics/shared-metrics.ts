import { Counter, Histogram, Registry } from "prom-client";
import { createHotPathHistogram } from "./hot-path-histogram";

/**
 * The figures every process adds to (the web processes time requests and start sagas; the checkout workers run the
 * steps): each process counts in this registry, and publish-shared-metrics.ts adds what it counted since its last
 * publish into one Redis hash, which the scrape reads. Only counters and histograms live here: they add up across
 * processes. Gauges of the shop's state are read at scrape time instead (scrape-figures.ts).
 */
export const sharedRegistry = new Registry();

export const sagasStarted = new Counter({
  name: "unicorn_sagas_started_total",
  help: "Sagas started, by saga type.",
  labelNames: ["saga_type"] as const,
  registers: [sharedRegistry],
});

export const sagasEnded = new Counter({
  name: "unicorn_sagas_ended_total",
  help: "Sagas that reached an end state (completed, compensated, needs_attention), by saga type and that state. A saga retried out of needs_attention counts again when it ends again.",
  labelNames: ["saga_type", "status"] as const,
  registers: [sharedRegistry],
});

/** From a millisecond (one indexed UPDATE) to 5 s (a step stuck behind a lock); slower lands in +Inf. */
const STEP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const stepDuration = new Histogram({
  name: "unicorn_saga_step_duration_seconds",
  help: "A saga step's own run time (action, compensation, or the handling of its reply) inside its transaction, without the time its job waited in the queue or for a reply. Committed runs only.",
  labelNames: ["saga_type", "step", "phase"] as const,
  buckets: STEP_BUCKETS,
  registers: [sharedRegistry],
});

/** The door's answers: a prerendered page in about a millisecond, a checkout in tens, a slow render in seconds. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Observed on every request: the cheaper histogram of hot-path-histogram.ts. */
export const httpRequestDuration = createHotPathHistogram({
  name: "unicorn_http_request_duration_seconds",
  help: "Time from a request's arrival at the web server's door to the end of its answer, by route (a page pattern, a tRPC procedure, static, other: never the raw URL), method and status class.",
  labelNames: ["route", "method", "status"] as const,
  buckets: HTTP_BUCKETS,
  registers: [sharedRegistry],
});
