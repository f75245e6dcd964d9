import type { IncomingMessage, ServerResponse } from "node:http";
import type { RouteOf } from "./route-label";
import { httpRequestDuration } from "./shared-metrics";

/** Methods named as they are; any other (a scanner's PROPFIND) is `other`, so that the label stays bounded. */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Times every request at the door, on the Cyber Monday hot path, so kept to two clock reads, one `close` listener, the
 * route's lookup and one observation in a histogram made for it (hot-path-histogram.ts): about 1.5–2 µs of CPU a
 * request measured apart (the listener ~0.5 µs, the route ~0.3 µs), against the 250–600 µs the web server spends on
 * its cheapest answer, a static file (README, "The front door"). Each labelled series is found once and kept.
 */
export function createRequestTimer(routeOf: RouteOf): (req: IncomingMessage, res: ServerResponse, pathname: string) => void {
  const series = new Map<string, (seconds: number) => void>();
  return (req, res, pathname) => {
    const began = performance.now();
    // `close` comes after the answer's last byte, or when the client went away first: either way the request ended.
    res.once("close", () => {
      const route = routeOf(pathname);
      const method = METHODS.has(req.method ?? "") ? req.method! : "other";
      const status = `${Math.floor(res.statusCode / 100)}xx`;
      const key = `${route} ${method} ${status}`;
      let observe = series.get(key);
      if (!observe) {
        observe = httpRequestDuration.series({ route, method, status });
        series.set(key, observe);
      }
      observe((performance.now() - began) / 1_000);
    });
  };
}
