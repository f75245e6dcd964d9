import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { FINISHED_STATUSES, type SagaStatus } from "@/server/saga/saga-status";
import { errorMessage } from "../lib/report";

/** How a saga the bench started ended, as its row says (or `unfinished` when the bench gave up on it). */
export type SagaOutcome = { status: SagaStatus; finishedAtMs: number } | { status: "unfinished"; finishedAtMs: null };

/**
 * The one poller that resolves every in-flight saga: a single indexed query for all of them every `intervalMs`,
 * so that watching costs the database the same few small queries a second whatever the concurrency.
 */
export class TerminalPoller {
  private readonly pending = new Map<string, (outcome: SagaOutcome) => void>();
  private running = true;
  private loop: Promise<void> = Promise.resolve();
  private failures = 0;
  polls = 0;

  constructor(
    private readonly client: pg.Client,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.loop = this.run().catch((error: unknown) => {
      console.error(`\n✗ ${errorMessage(error)}`);
      process.exit(1);
    });
  }

  get inFlight(): number {
    return this.pending.size;
  }

  wait(sagaId: string): Promise<SagaOutcome> {
    return new Promise((resolve) => this.pending.set(sagaId, resolve));
  }

  /** Gives up on every saga still pending (they are counted as unfinished). */
  abandonAll(): void {
    for (const resolve of this.pending.values()) resolve({ status: "unfinished", finishedAtMs: null });
    this.pending.clear();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.abandonAll();
  }

  private async run(): Promise<void> {
    while (this.running) {
      // After a failed poll, the next one comes after its own short pause.
      if (this.pending.size > 0 && !(await this.poll())) continue;
      await sleep(this.intervalMs);
    }
  }

  /** One query for every pending saga; false if it failed (and was paused after). */
  private async poll(): Promise<boolean> {
    this.polls += 1;
    let rows: { id: string; status: SagaStatus; finished_at: Date | null }[];
    try {
      ({ rows } = await this.client.query<{ id: string; status: SagaStatus; finished_at: Date | null }>(
        `SELECT id::text, status::text, finished_at FROM saga_instances
          WHERE id = ANY($1::uuid[]) AND status = ANY($2::saga_status[])`,
        [[...this.pending.keys()], FINISHED_STATUSES],
      ));
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      if (this.failures >= 50) throw new Error(`The saga poller failed 50 times in a row: ${errorMessage(error)}`);
      await sleep(100);
      return false;
    }
    for (const row of rows) {
      const resolve = this.pending.get(row.id);
      if (!resolve) continue;
      this.pending.delete(row.id);
      resolve({ status: row.status, finishedAtMs: row.finished_at?.getTime() ?? Date.now() });
    }
    return true;
  }
}
