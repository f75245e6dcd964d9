import { formatDuration } from "./saga-words";

/**
 * Times and durations on the saga detail page, as pure functions (the zone is passed in, so tests pin it): every
 * instant to the second with its zone, and a step's own run time told apart from the time it waited.
 */

const INSTANT: Intl.DateTimeFormatOptions = {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
  timeZoneName: "short",
};

/** "6 Dec 2026, 21:04:17 UTC" in `timeZone` (an IANA name; undefined = the runtime's own, i.e. the viewer's). */
export function formatInstant(date: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", { ...INSTANT, timeZone }).format(date);
}

/** The times a step's history row holds (SagaStepView), as far as its timing goes. */
export type StepTimes = {
  attempts: number;
  startedAt: Date;
  attemptStartedAt: Date | null;
  finishedAt: Date | null;
  awaitingSince: Date | null;
  repliedAt: Date | null;
};

/**
 * How a finished step's time splits (ms): `ran`, its latest attempt's own work; `waitedBefore`, from its first
 * attempt to its latest (earlier attempts and the backoff between them, or an operator's retry); `waitedForReply`, the
 * wait for the reply to the message it sent. `total` alone for rows older than attempt_started_at, which cannot be split.
 */
export type StepTiming = { ran: number | null; waitedBefore: number; waitedForReply: number | null; total: number };

/** The split of a finished step's time; null while it runs or waits (nothing has ended yet). */
export function stepTiming(run: StepTimes): StepTiming | null {
  const { startedAt, attemptStartedAt, finishedAt, awaitingSince, repliedAt } = run;
  if (!finishedAt) return null;
  const total = finishedAt.getTime() - startedAt.getTime();
  if (!attemptStartedAt) return { ran: null, waitedBefore: 0, waitedForReply: null, total };
  const waitedBefore = Math.max(0, attemptStartedAt.getTime() - startedAt.getTime());
  const ownSpan = finishedAt.getTime() - attemptStartedAt.getTime();
  // A wait that began in this attempt: from sending the message to the reply (or to giving up waiting).
  if (awaitingSince && awaitingSince.getTime() >= attemptStartedAt.getTime()) {
    const waitEnd = repliedAt ?? finishedAt;
    const waitedForReply = Math.max(0, waitEnd.getTime() - awaitingSince.getTime());
    return { ran: Math.max(0, ownSpan - waitedForReply), waitedBefore, waitedForReply, total };
  }
  return { ran: Math.max(0, ownSpan), waitedBefore, waitedForReply: null, total };
}

/**
 * The timing in words: "ran 312 ms · waited 1 min 44 s before its last attempt · waited 1.20 s for Loyalty";
 * "took 3.20 s" for a row that cannot be split. `who` names whom a step awaiting a reply waited for.
 */
export function stepTimingWords(timing: StepTiming, who: string): string {
  if (timing.ran === null) return `took ${formatDuration(timing.total)}`;
  const parts = [`ran ${formatDuration(timing.ran)}`];
  if (timing.waitedBefore >= 1) parts.push(`waited ${formatDuration(timing.waitedBefore)} before its last attempt`);
  if (timing.waitedForReply !== null) parts.push(`waited ${formatDuration(timing.waitedForReply)} for ${who}`);
  return parts.join(" · ");
}
