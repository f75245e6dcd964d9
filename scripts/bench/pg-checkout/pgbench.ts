import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { BenchConfigError } from "../lib/bench-env";

/**
 * Finding pgbench (installing Debian's postgresql-client when it is missing and this runs as root, as
 * scripts/ensure-services.sh installs the services), and reading what it wrote: its summary, its per-statement
 * latencies (-r) and its per-transaction log (-l).
 */

/** The pgbench to run: on PATH, else under /usr/lib/postgresql/<version>/bin, else installed now (root on Debian). */
export function ensurePgbench(): string {
  const found = findPgbench();
  if (found) return found;
  const root = process.getuid?.() === 0;
  if (!root || !hasCommand("apt-get")) {
    throw new BenchConfigError(
      "pgbench is not installed. On Debian/Ubuntu run as root: apt-get update && apt-get install -y postgresql-client " +
        "(any pgbench of PostgreSQL 15 or later will do: put it on PATH)",
    );
  }
  console.log("▸ Installing postgresql-client (pgbench) from Debian's packages…");
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "postgresql-client"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  const installed = findPgbench();
  if (!installed) throw new BenchConfigError("postgresql-client was installed but no pgbench was found");
  return installed;
}

function findPgbench(): string | null {
  if (hasCommand("pgbench")) return "pgbench";
  const base = "/usr/lib/postgresql";
  const versions = fs.existsSync(base) ? fs.readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const candidate = path.join(base, version, "bin", "pgbench");
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function hasCommand(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export type PgbenchSummary = { transactions: number; failed: number; tps: number; latencyAverageMs: number };

/** The figures of pgbench's closing summary; throws with the output when they are not there (pgbench failed). */
export function parseSummary(output: string): PgbenchSummary {
  const number = (pattern: RegExp) => {
    const match = pattern.exec(output);
    return match ? Number(match[1]) : null;
  };
  const transactions = number(/number of transactions actually processed: (\d+)/);
  const tps = number(/tps = ([\d.]+) \(without initial connection time\)/);
  if (transactions === null || tps === null) throw new Error(`pgbench printed no summary:\n${output.split("\n").slice(-30).join("\n")}`);
  return {
    transactions,
    failed: number(/number of failed transactions: (\d+)/) ?? 0,
    tps,
    latencyAverageMs: number(/latency average = ([\d.]+) ms/) ?? 0,
  };
}

export type StatementLatency = { statement: string; averageMs: number };

/** `-r`: the average latency of each SQL statement of the script (pgbench's own \set lines left out). */
export function parseStatementLatencies(output: string): StatementLatency[] {
  const start = output.indexOf("statement latencies in milliseconds");
  if (start < 0) return [];
  const latencies: StatementLatency[] = [];
  for (const line of output.slice(start).split("\n").slice(1)) {
    const match = /^\s+([\d.]+)\s+(?:\d+\s+)?(.+)$/.exec(line);
    if (!match) break;
    const statement = (match[2] ?? "").trim();
    if (statement.startsWith("\\")) continue;
    latencies.push({ statement: shortStatement(statement), averageMs: Number(match[1]) });
  }
  return latencies;
}

/** A statement's first words, enough to tell the script's statements apart in a table. */
function shortStatement(statement: string): string {
  const words = statement.replace(/\(/g, " ").trim().split(/\s+/);
  return words.slice(0, 3).join(" ");
}

/** The transactions of a `-l` log that ended within [fromMs, toMs) (epoch ms): their latencies in ms. */
export function readTransactionLog(prefix: string, window: { fromMs: number; toMs: number }): number[] {
  const dir = path.dirname(prefix);
  const base = path.basename(prefix);
  const latencies: number[] = [];
  for (const file of fs.readdirSync(dir).filter((name) => name.startsWith(`${base}.`))) {
    for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
      // client_id transaction_no time_us script_no time_epoch time_us
      const fields = line.trim().split(/\s+/);
      if (fields.length < 6) continue;
      const endedMs = Number(fields[4]) * 1000 + Number(fields[5]) / 1000;
      if (endedMs >= window.fromMs && endedMs < window.toMs) latencies.push(Number(fields[2]) / 1000);
    }
  }
  return latencies;
}
