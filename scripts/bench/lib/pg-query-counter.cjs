"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload: require is the only way in */
/*
 * Preloaded with `node --require` (through NODE_OPTIONS) into the processes a benchmark starts, when
 * BENCH_PG_COUNTER_FILE is set: counts the statements the process sends to PostgreSQL through `pg`, by first keyword
 * (BEGIN, SELECT, INSERT, UPDATE, WITH, COMMIT, …), and writes the totals to that file ("%p" = pid) four times a
 * second. Instrumentation only: it changes nothing the app does, and costs a regex per statement. Node also runs
 * preloads in the thread of a module loader's hooks (`--import tsx`); only the main thread counts.
 */
const fs = require("node:fs");
const { isMainThread } = require("node:worker_threads");

const target = process.env.BENCH_PG_COUNTER_FILE;
const isTsxLauncher = /[\\/]tsx(?:[\\/]dist[\\/]cli\.mjs)?$/.test(process.argv[1] || "");

if (target && !isTsxLauncher && isMainThread) {
  try {
    // The app's own copy of pg (resolved from where it runs), so that the patched class is the one Prisma's adapter uses.
    const pg = require(require.resolve("pg", { paths: [process.cwd()] }));
    const counts = Object.create(null);
    let total = 0;
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function countedQuery(config, ...rest) {
      const text = typeof config === "string" ? config : config && config.text;
      const match = typeof text === "string" ? /^\s*(\w+)/.exec(text) : null;
      const key = match ? match[1].toUpperCase() : "?";
      counts[key] = (counts[key] || 0) + 1;
      total += 1;
      return original.call(this, config, ...rest);
    };
    const file = target.replace("%p", String(process.pid));
    const flush = () => {
      try {
        fs.writeFileSync(`${file}.tmp`, JSON.stringify({ pid: process.pid, total, counts, at: Date.now() }));
        fs.renameSync(`${file}.tmp`, file);
      } catch {
        // The bench may have removed its folder already; counting is best effort.
      }
    };
    setInterval(flush, 250).unref();
    process.on("exit", flush);
  } catch {
    // No pg in this process's tree (e.g. a build tool): nothing to count.
  }
}
