import { SagaTime } from "./saga-time";
import type { SagaStepRunView } from "../../../_lib/admin-api";
import { stepTiming, stepTimingWords } from "../../../_lib/saga-time";
import { awaitedBy, stepRunName } from "../../../_lib/saga-words";
import { StepMessages } from "./step-messages";

/** Each outcome in words and colour: succeeded green, failed red, retrying amber, running blue, skipped grey. */
const OUTCOME: Record<SagaStepRunView["status"], { label: string; dot: string; text: string; card: string }> = {
  succeeded: { label: "Succeeded", dot: "bg-emerald-600", text: "text-emerald-800", card: "border-emerald-300" },
  failed: { label: "Failed", dot: "bg-rose-600", text: "text-rose-800", card: "border-rose-300" },
  retrying: { label: "Retrying", dot: "bg-amber-500", text: "text-amber-800", card: "border-amber-300" },
  running: { label: "Running", dot: "bg-sky-600", text: "text-sky-800", card: "border-sky-300" },
  skipped: { label: "Skipped", dot: "bg-gray-400", text: "text-gray-700", card: "border-gray-300" },
};

/**
 * The saga's steps and compensations in the order they ran, each with its outcome, attempts, times, the messages it
 * exchanged (a step awaiting a reply), and what went wrong. Error stacks reach admins only (the API sends none to support staff; `showStacks` says whether to offer one).
 */
export function SagaTimeline({ steps, showStacks }: { steps: SagaStepRunView[]; showStacks: boolean }) {
  if (steps.length === 0) return <p className="text-gray-700">No step has run yet.</p>;
  return (
    <ol className="space-y-3 border-l-2 border-gray-200 pl-5" aria-label="Steps and compensations, in the order they ran">
      {steps.map((run, index) => {
        const outcome = OUTCOME[run.status];
        // Its own run time, with the time it waited (to be retried, or for a reply) told apart.
        const timing = stepTiming(run);
        return (
          <li
            key={`${run.step}-${run.phase}-${index}`}
            className="relative"
            data-testid="timeline-step"
            data-step={run.step}
            data-phase={run.phase}
            data-status={run.status}
          >
            <span aria-hidden="true" className={`absolute top-4 -left-[1.7rem] size-3 rounded-full ring-4 ring-white ${outcome.dot}`} />
            <div className={`rounded-xl border-l-4 bg-white p-3 shadow-sm ring-1 ring-gray-200 ${outcome.card}`}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="font-semibold">
                  {stepRunName(run.step, run.phase)}
                  <span className="ml-2 text-xs font-medium text-gray-500 uppercase">{run.phase}</span>
                </h3>
                <span className={`text-sm font-semibold ${outcome.text}`} data-testid="timeline-outcome">
                  {outcome.label}
                </span>
              </div>
              <p className="mt-1 text-sm text-gray-700">
                {run.attempts === 1 ? "1 attempt" : `${run.attempts} attempts`} · started <SagaTime date={run.startedAt} />
                {timing ? (
                  <span data-testid="timeline-timing"> · {stepTimingWords(timing, run.replyFrom ?? awaitedBy(run.step))}</span>
                ) : run.awaitingReply ? (
                  " · waiting for its reply"
                ) : run.status === "running" ? (
                  " · still running"
                ) : (
                  ""
                )}
              </p>
              <StepMessages run={run} />
              {run.error && (
                <p className="mt-2 rounded-lg bg-rose-50 px-3 py-2 text-sm break-words text-rose-900" data-testid="timeline-error">
                  {run.error}
                </p>
              )}
              {showStacks && run.errorStack && (
                <details className="mt-2 text-sm">
                  <summary className="cursor-pointer font-medium text-brand-700">Stack trace</summary>
                  <pre className="mt-1 rounded-lg bg-gray-900 p-3 font-mono text-xs break-all whitespace-pre-wrap text-gray-100">
                    {run.errorStack}
                  </pre>
                </details>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
