import type { IncomingMessage, ServerResponse } from "node:http";
import type { Histogram } from "prom-client";
import type { RouteOf } from "./route-label";
import { httpRequestDuration } from "./shared-metrics";

/** Methods named as they are; any other (a scanner's PROPFIND) is `other`, so that the label stays bounded. */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Times every request at the door, on the Cyber Monday hot path, so kept to a clock read, one `close` listener and
 * one histogram observation per request: the labelled series are looked up once each and kept (prom-client's
 * labels() builds a key from the label values on every call). Measured in the README (bench:http).
 */
export function createRequestTimer(routeOf: RouteOf): (req: IncomingMessage, res: ServerResponse, pathname: string) => void {
  const series = new Map<string, Histogram.Internal<"route" | "method" | "status">>();
  return (req, res, pathname) => {
    const began = performance.now();
    // `close` comes after the answer's last byte, or when the client went away first: either way the request ended.
    res.once("close", () => {
      const route = routeOf(pathname);
      const method = METHODS.has(req.method ?? "") ? req.method! : "other";
      const status = `${Math.floor(res.statusCode / 100)}xx`;
      const key = `${route} ${method} ${status}`;
      let observer = series.get(key);
      if (!observer) {
        observer = httpRequestDuration.labels({ route, method, status });
        series.set(key, observer);
      }
      observer.observe((performance.now() - began) / 1_000);
    });
  };
}
