import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { createProgress, errorMessage } from "../lib/report";
import { levelResult, type LevelResult, type Sample, type Snapshots } from "./level-result";
import type { TerminalPoller } from "./terminal-poller";

const DRAIN_TIMEOUT_MS = 60_000;
/** The tables a checkout writes to: what the bench vacuums. */
export const SAGA_TABLES = [
  "saga_instances",
  "saga_step_executions",
  "checkouts",
  "reservations",
  "inventory",
  "wallets",
  "wallet_entries",
  "orders",
  "outbox_messages",
];

/** What every level runs against: the running shop, and the way a checkout is started (as the web process would). */
export type LevelContext = {
  poller: TerminalPoller;
  customerIds: readonly string[];
  slugs: readonly string[];
  startCheckout: (customerId: string, productSlug: string) => Promise<{ checkoutId: string }>;
  startedSagaIds: Set<string>;
  vacuumClient: pg.Client;
  /** VACUUM the saga tables every so many seconds during a measured level (0: never). */
  vacuumEveryS: number;
  admin: pg.Client;
  takeSnapshots: () => Promise<Snapshots>;
};

/** A level's live tallies, shared by its clients, its progress line and its vacuums. */
type LevelState = { samples: Sample[]; startErrors: number; startErrorExamples: string[]; stopping: boolean; vacuums: number };

/** The longest a level can take after its window: what the bench's overall time limit allows for. */
export const LEVEL_OVERHEAD_S = DRAIN_TIMEOUT_MS / 1000 + 15;

/**
 * Runs `clients` closed-loop virtual clients (start a checkout → wait until its saga is finished → next) and, when
 * `measure`, measures between the warm-up and the end of the window.
 */
export async function runLevel(context: LevelContext, clients: number, warmupS: number, durationS: number, measure: boolean): Promise<LevelResult | null> {
  const state: LevelState = { samples: [], startErrors: 0, startErrorExamples: [], stopping: false, vacuums: 0 };
  const levelStart = performance.now();
  const window = { start: levelStart + warmupS * 1000, end: levelStart + (warmupS + durationS) * 1000 };

  const stopTicker = showProgress(context, state, { clients, levelStart, warmupS, durationS, window });
  const vacuums = measure ? vacuumDuringLevel(context, state) : Promise.resolve();
  const running = Array.from({ length: clients }, (_, index) => virtualClient(context, state, index));
  await sleep(Math.max(0, window.start - performance.now()));
  const before = measure ? await context.takeSnapshots() : null;
  const windowStartWall = new Date();
  await sleep(Math.max(0, window.end - performance.now()));
  const after = measure ? await context.takeSnapshots() : null;
  const windowEndWall = new Date();
  state.stopping = true;
  const drainTimer = setTimeout(() => context.poller.abandonAll(), DRAIN_TIMEOUT_MS);
  await Promise.all(running);
  await vacuums;
  clearTimeout(drainTimer);
  stopTicker();
  if (!measure || !before || !after) return null;
  return levelResult({
    admin: context.admin,
    clients,
    window,
    wall: { start: windowStartWall, end: windowEndWall },
    samples: state.samples,
    startErrors: state.startErrors,
    startErrorExamples: state.startErrorExamples,
    vacuumsDuringLevel: state.vacuums,
    before,
    after,
  });
}

/** One virtual client: a checkout at a time, each for a random product, until the level stops. */
async function virtualClient(context: LevelContext, state: LevelState, index: number): Promise<void> {
  const customerId = context.customerIds[index % context.customerIds.length] as string;
  while (!state.stopping) {
    const startPerf = performance.now();
    const startWallMs = Date.now();
    let checkoutId: string;
    try {
      ({ checkoutId } = await context.startCheckout(customerId, context.slugs[Math.floor(Math.random() * context.slugs.length)] as string));
    } catch (error) {
      state.startErrors += 1;
      if (state.startErrorExamples.length < 5) state.startErrorExamples.push(errorMessage(error).slice(0, 300));
      await sleep(50);
      continue;
    }
    context.startedSagaIds.add(checkoutId);
    const startedPerf = performance.now();
    const outcome = await context.poller.wait(checkoutId);
    state.samples.push({ startPerf, startWallMs, startedPerf, observedPerf: performance.now(), ...outcome });
  }
}

/** The moving progress line of a level (warm-up, measuring, draining); returns the function that ends it. */
function showProgress(
  context: LevelContext,
  state: LevelState,
  level: { clients: number; levelStart: number; warmupS: number; durationS: number; window: { start: number; end: number } },
): () => void {
  const progress = createProgress();
  const label = `C=${String(level.clients).padStart(3)}`;
  const { poller } = context;
  const ticker = setInterval(() => {
    const now = performance.now();
    if (now < level.window.start) {
      progress.update(
        `  ${label}  warm-up ${((now - level.levelStart) / 1000).toFixed(0)}/${level.warmupS} s   ${state.samples.length} sagas, ${poller.inFlight} in flight`,
      );
    } else if (now < level.window.end) {
      const inWindow = state.samples.filter((sample) => sample.observedPerf >= level.window.start).length;
      const rate = inWindow / ((now - level.window.start) / 1000);
      progress.update(
        `  ${label}  measuring ${((now - level.window.start) / 1000).toFixed(0)}/${level.durationS} s   ${inWindow} sagas (${rate.toFixed(0)}/s)` +
          `, ${poller.inFlight} in flight, ${state.startErrors} start errors`,
      );
    } else {
      progress.update(`  ${label}  draining: ${poller.inFlight} in flight`);
    }
  }, 500);
  return () => {
    clearInterval(ticker);
    progress.done();
  };
}

/** With --vacuum-every: VACUUM the saga tables that often while the level runs, as an eager autovacuum would. */
async function vacuumDuringLevel(context: LevelContext, state: LevelState): Promise<void> {
  if (context.vacuumEveryS <= 0) return;
  while (!state.stopping) {
    await sleep(context.vacuumEveryS * 1000);
    if (state.stopping) break;
    await context.vacuumClient.query(`VACUUM ${SAGA_TABLES.join(", ")}`);
    state.vacuums += 1;
  }
}
