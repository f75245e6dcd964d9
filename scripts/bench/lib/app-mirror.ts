import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BenchConfigError, childEnv, REPO_ROOT, type AppEnv } from "./bench-env";
import { runToCompletion } from "./bench-children";
import { createProgress, round, step } from "./report";

/**
 * The production build that the benches serve is made in a copy of the sources outside the repository. `next build`
 * rewrites tsconfig.json (it adds `<distDir>/types/**` to "include") and next-env.d.ts for its dist dir, and a build
 * folder inside the repository would be picked up by `tsc` and `eslint .` — all files other people are editing. The copy
 * is a snapshot: web server and workers run the very same code, whatever is edited in the repository meanwhile.
 * node_modules is hard-linked (no extra space, no copying); Turbopack refuses a symlinked node_modules.
 */

export const DEFAULT_APP_DIR = path.join(os.tmpdir(), "unicorn-retail-bench-app");
export const BENCH_DIST_DIR = ".next-bench";
const MARKER = ".unicorn-retail-bench-app";

const EXCLUDES = [
  "/node_modules",
  "/.git",
  "/.next*",
  "/test-results",
  "/playwright-report",
  "/.env*",
  "/bench/results",
  "/tsconfig.tsbuildinfo",
  `/${MARKER}`,
];

function checkAppDir(appDir: string): void {
  const resolved = path.resolve(appDir);
  const relative = path.relative(REPO_ROOT, resolved);
  if (relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative))) {
    throw new BenchConfigError(`--app-dir must be outside the repository (${REPO_ROOT}): next build rewrites files there`);
  }
  if (fs.existsSync(resolved) && fs.readdirSync(resolved).length > 0 && !fs.existsSync(path.join(resolved, MARKER))) {
    throw new BenchConfigError(`${resolved} exists and is not a bench copy of the app (no ${MARKER}); choose another --app-dir`);
  }
}

/** Brings the copy up to date with the repository's working tree (sources only; node_modules hard-linked afresh). */
export function syncAppCopy(appDir: string): void {
  checkAppDir(appDir);
  fs.mkdirSync(appDir, { recursive: true });
  fs.writeFileSync(path.join(appDir, MARKER), `A copy of ${REPO_ROOT} made by scripts/bench for production builds.\n`);
  execFileSync("rsync", ["-a", "--delete", ...EXCLUDES.flatMap((pattern) => ["--exclude", pattern]), `${REPO_ROOT}/`, `${appDir}/`], {
    stdio: "inherit",
  });
  const modules = path.join(appDir, "node_modules");
  fs.rmSync(modules, { recursive: true, force: true });
  execFileSync("cp", ["-al", path.join(REPO_ROOT, "node_modules"), modules]);
}

export function hasBuild(appDir: string): boolean {
  return fs.existsSync(path.join(appDir, BENCH_DIST_DIR, "BUILD_ID"));
}

export function checkReusableCopy(appDir: string): void {
  checkAppDir(appDir);
  if (!hasBuild(appDir)) {
    throw new BenchConfigError(`No build to reuse in ${path.join(appDir, BENCH_DIST_DIR)}: run once without --no-build`);
  }
}

/**
 * Copies the sources to the app dir and builds the app there into .next-bench (`next build`), or checks that a build
 * is there to reuse (`build: false`, the benches' --no-build); returns how long the build took, null when reused.
 * `prepareDatabase` runs between the copy and the build: the build prerenders the catalog and product pages from the
 * bench database, which must be migrated and seeded by then.
 */
export async function buildApp(
  options: { build: boolean; appDir: string },
  appEnv: AppEnv,
  logDir: string,
  prepareDatabase: () => Promise<void>,
): Promise<number | null> {
  if (!options.build) {
    checkReusableCopy(options.appDir);
    step(`Reusing the build in ${path.join(options.appDir, BENCH_DIST_DIR)}`);
    return null;
  }
  step(`Copying the sources to ${options.appDir} and building the app into ${BENCH_DIST_DIR} (next build)`);
  syncAppCopy(options.appDir);
  await prepareDatabase();
  const progress = createProgress({ plainEveryMs: 10_000 });
  const buildStart = performance.now();
  const ticker = setInterval(() => progress.update(`  building… ${((performance.now() - buildStart) / 1000).toFixed(0)} s`), 500);
  try {
    await runToCompletion({
      name: "next build",
      command: path.join(options.appDir, "node_modules", ".bin", "next"),
      args: ["build"],
      cwd: options.appDir,
      env: childEnv({ ...appEnv, NEXT_DIST_DIR: BENCH_DIST_DIR, LOG_LEVEL: "warn" }),
      logFile: path.join(logDir, "build.log"),
      timeoutMs: 600_000,
    });
  } finally {
    clearInterval(ticker);
  }
  const buildSeconds = round((performance.now() - buildStart) / 1000);
  progress.done(`  built in ${buildSeconds} s`);
  return buildSeconds;
}
