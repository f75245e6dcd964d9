/**
 * The part of autocannon's programmatic API that the benches use (autocannon ships no types, and @types/autocannon
 * describes version 7). See node_modules/autocannon/README.md.
 */
declare module "autocannon" {
  namespace autocannon {
    type Request = {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
      /** Called before each request is sent (when given, the request is built afresh every time). */
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request | null | undefined;
    };

    type Options = {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Seconds before a request counts as timed out. */
      timeout?: number;
      requests?: Request[];
    };

    /** Percentiles and moments of a histogram; latencies in ms, requests and bytes per second. */
    type Histogram = {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p50: number;
      p90: number;
      p97_5: number;
      p99: number;
    };

    type Result = {
      /** Seconds. */
      duration: number;
      start: Date;
      finish: Date;
      /** Socket errors (timeouts included). */
      errors: number;
      timeouts: number;
      resets: number;
      non2xx: number;
      statusCodeStats: Record<string, { count: number }>;
      latency: Histogram;
      /** `total`: responses received. */
      requests: Histogram & { sent: number };
      throughput: Histogram;
    };

    type Instance = PromiseLike<Result> & {
      on(event: "response", listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): Instance;
      stop(): void;
    };
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
