import os from "node:os";
import path from "node:path";
import { BENCH_DIST_DIR } from "../lib/app-mirror";
import { BenchConfigError, integerOption as int } from "../lib/bench-env";
import { parseBenchArgs } from "../lib/bench-main";
import { ADDRESS_NAMES, type AddressName } from "./addresses";

export const DEFAULT_HTTP_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_bench_http";
export const DEFAULT_HTTP_REDIS_URL = "redis://127.0.0.1:6379/9";
export const DEFAULT_HTTP_PORT = 3400;
export const DEFAULT_HTTP_APP_DIR = path.join(os.tmpdir(), "unicorn-retail-bench-http-app");

const HELP = `Usage: npm run bench:http -- [options]

Serves the production build and measures each address in turn with the same closed loop: req/s, p50/p99 latency,
answers of another status than expected, and req/s as a share of the static asset's (marked against its target).
Then, unless --no-profile, a shorter pass at each address against a web server run with node --cpu-prof says where
the CPU of a request goes, by package. Exits non-zero if any answer had an unexpected status; a missed target is
only marked.

  --connections N       keep-alive connections at each address, default 32
  --duration S          seconds measured at each address, by autocannon and then (if installed) by wrk, default 6
  --warmup S            seconds of load at each address before it is measured (not counted), default 2
  --only A,B            only these addresses (the static asset is always measured: the ratios are to it), of:
                        ${ADDRESS_NAMES.join(", ")}
  --no-build            reuse the last build in <app-dir>/${BENCH_DIST_DIR} instead of building
  --app-dir DIR         where the sources are copied and built, default ${DEFAULT_HTTP_APP_DIR}
  --port N              default ${DEFAULT_HTTP_PORT}
  --no-front            measure at the web server only; by default every address is measured twice, through the
                        shop's front door (HAProxy and its page cache, scripts/front/, on --port + 1) and at the web
                        server, each ratio to the static asset through the same door
  --no-profile          skip the profiled pass
  --profile-duration S  seconds of the profiled pass at each address, default half of --duration (at least 1)
  --label TEXT          a note stored with the results
  --database-url URL    default ${DEFAULT_HTTP_DATABASE_URL}
  --redis-url URL       default ${DEFAULT_HTTP_REDIS_URL}
`;

export type HttpBenchOptions = {
  connections: number;
  durationS: number;
  warmupS: number;
  only: AddressName[] | null;
  build: boolean;
  appDir: string;
  port: number;
  front: boolean;
  profile: boolean;
  profileDurationS: number;
  label: string | null;
  databaseUrl: string;
  redisUrl: string;
};

/** The HTTP bench's command line, checked. */
export function parseHttpBenchOptions(): HttpBenchOptions {
  const values = parseBenchArgs(HELP, {
    connections: { type: "string", default: "32" },
    duration: { type: "string", default: "6" },
    warmup: { type: "string", default: "2" },
    only: { type: "string" },
    "no-build": { type: "boolean", default: false },
    "app-dir": { type: "string", default: DEFAULT_HTTP_APP_DIR },
    port: { type: "string", default: String(DEFAULT_HTTP_PORT) },
    "no-front": { type: "boolean", default: false },
    "no-profile": { type: "boolean", default: false },
    "profile-duration": { type: "string" },
    label: { type: "string" },
    "database-url": { type: "string", default: DEFAULT_HTTP_DATABASE_URL },
    "redis-url": { type: "string", default: DEFAULT_HTTP_REDIS_URL },
  });
  const durationS = int("duration", values.duration, 1, 600);
  return {
    connections: int("connections", values.connections, 1, 1_000),
    durationS,
    warmupS: int("warmup", values.warmup, 0, 120),
    only: values.only === undefined ? null : parseOnly(values.only),
    build: !values["no-build"],
    appDir: path.resolve(values["app-dir"]),
    port: int("port", values.port, 1_024, 65_534),
    front: !values["no-front"],
    profile: !values["no-profile"],
    profileDurationS:
      values["profile-duration"] === undefined ? Math.max(1, Math.round(durationS / 2)) : int("profile-duration", values["profile-duration"], 1, 600),
    label: values.label ?? null,
    databaseUrl: values["database-url"],
    redisUrl: values["redis-url"],
  };
}

function parseOnly(list: string): AddressName[] {
  const names = list.split(",").map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(ADDRESS_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new BenchConfigError(`--only takes some of ${ADDRESS_NAMES.join(", ")}; not: ${unknown.join(", ") || "(nothing)"}`);
  }
  return names as AddressName[];
}
