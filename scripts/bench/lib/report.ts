import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RESULTS_DIR, REPO_ROOT } from "./bench-env";

/** Figures, tables, progress lines and result files shared by the benchmarks. */

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? null;
}

export type Summary = { count: number; mean: number | null; p50: number | null; p95: number | null; p99: number | null; max: number | null };

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.length > 0 ? sorted.reduce((sum, value) => sum + value, 0) / sorted.length : null;
  return {
    count: sorted.length,
    mean: round(mean),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? null),
  };
}

export function round(value: number | null, digits = 1): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function fmt(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(digits);
}

/** A summary's p50, p95, p99 and max as four table cells. */
export function summaryCells(summary: Summary): string[] {
  return [fmt(summary.p50), fmt(summary.p95), fmt(summary.p99), fmt(summary.max)];
}

/** The CPU groups worth a column: those that used at least half a percent of a core in some row. */
export function busyGroups(cpus: readonly { percentByGroup: Record<string, number> }[]): string[] {
  return [...new Set(cpus.flatMap((cpu) => Object.keys(cpu.percentByGroup)))].filter((group) =>
    cpus.some((cpu) => (cpu.percentByGroup[group] ?? 0) >= 0.5),
  );
}

/** A plain text table with right-aligned numbers (the first `leftColumns`, 1 by default, are left-aligned). */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: { alignLeft?: boolean; leftColumns?: number } = {},
): string {
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => (row[index] ?? "").length)));
  const left = options.alignLeft ? headers.length : (options.leftColumns ?? 1);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => (index < left ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((width) => "─".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

/**
 * One status line that keeps moving: rewritten in place on a terminal, printed at most every few seconds otherwise
 * (CI logs, `| tee`).
 */
export function createProgress(options: { plainEveryMs?: number } = {}) {
  const tty = process.stdout.isTTY === true;
  const plainEveryMs = options.plainEveryMs ?? 2_000;
  let lastPlain = 0;
  let shown = false;
  return {
    update(text: string) {
      if (tty) {
        process.stdout.write(`\r\x1b[2K${text}`);
        shown = true;
      } else if (performance.now() - lastPlain >= plainEveryMs) {
        lastPlain = performance.now();
        console.log(text);
      }
    },
    /** Ends the moving line with a final one. */
    done(text?: string) {
      if (tty && shown) process.stdout.write("\r\x1b[2K");
      shown = false;
      lastPlain = 0;
      if (text) console.log(text);
    },
  };
}

export function step(message: string): void {
  console.log(`▸ ${message}`);
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
    platform: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

export function gitInfo() {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    return { commit, uncommittedChanges: dirty.length > 0 };
  } catch {
    return { commit: null, uncommittedChanges: null };
  }
}

/** A timestamp usable in file names: 2026-11-27T10-15-30Z. */
export function fileTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z").replaceAll(":", "-");
}

/** Writes `<name>-<timestamp>.json` and `latest-<name>.json` under bench/results/; returns the timestamped path. */
export function writeResults(name: string, startedAt: Date, data: unknown): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const text = `${JSON.stringify(data, null, 2)}\n`;
  const file = path.join(RESULTS_DIR, `${name}-${fileTimestamp(startedAt)}.json`);
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(RESULTS_DIR, `latest-${name}.json`), text);
  return file;
}

export type InvariantResult = { name: string; ok: boolean; detail: string };

/** Prints each invariant with ✓/✗; true when all hold. */
export function printInvariants(results: readonly InvariantResult[]): boolean {
  for (const result of results) console.log(`  ${result.ok ? "✓" : "✗"} ${result.name}: ${result.detail}`);
  return results.every((result) => result.ok);
}

export function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(errorMessage).join("; ");
  return error instanceof Error ? error.message : String(error);
}
