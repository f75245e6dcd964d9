import { SagaTime } from "./saga-time";
import { commandWords, replyWords } from "../../../_lib/points-message-words";
import type { SagaStepRunView } from "../../../_lib/admin-api";
import { awaitedBy } from "../../../_lib/saga-words";
import { JsonBlock } from "./json-block";

/**
 * A step that sent a message and awaits the reply (like Step Functions' .waitForTaskToken): while it waits, since
 * when and until when (its deadline: no reply by then fails the step, which compensates); then the command it sent
 * and the reply that resumed it, in words and as sent.
 */
export function StepMessages({ run }: { run: SagaStepRunView }) {
  const { awaitingSince, awaitingUntil, replyFrom, sentMessage, reply, repliedAt } = run;
  if (!awaitingSince && !sentMessage && !reply) return null;
  const waiting = isAwaitingReply(run) && awaitingSince;
  const who = replyFrom ?? awaitedBy(run.step);
  return (
    <div className="mt-2 space-y-2 text-sm">
      {waiting && (
        <p className="rounded-lg bg-sky-50 px-3 py-2 font-medium text-sky-900" data-testid="timeline-awaiting">
          Waiting for {who} since <SagaTime date={awaitingSince} />
          {awaitingUntil && (
            <>
              {" "}
              · deadline <SagaTime date={awaitingUntil} />
            </>
          )}
        </p>
      )}
      {sentMessage !== null && <Message title="Command sent" words={commandWords(sentMessage)} value={sentMessage} testId="timeline-command" />}
      {reply !== null && (
        <Message title={`Reply from ${who}`} words={replyWords(reply)} value={reply} at={repliedAt} testId="timeline-reply" />
      )}
      {!waiting && !reply && awaitingSince && (
        <p className="text-gray-700" data-testid="timeline-no-reply">
          No reply from {who} (waited from <SagaTime date={awaitingSince} />
          {awaitingUntil && (
            <>
              {" "}
              until <SagaTime date={awaitingUntil} />
            </>
          )}
          ).
        </p>
      )}
    </div>
  );
}

function Message({
  title,
  words,
  value,
  at,
  testId,
}: {
  title: string;
  words: string | null;
  value: unknown;
  at?: Date | null;
  testId: string;
}) {
  return (
    <details className="rounded-lg bg-gray-50 px-3 py-2" data-testid={testId}>
      <summary className="cursor-pointer">
        <span className="font-semibold">{title}</span>
        {words && <span className="text-gray-800">: {words}</span>}
        {at && (
          <span className="text-gray-600">
            {" "}
            · <SagaTime date={at} />
          </span>
        )}
      </summary>
      <div className="mt-2">
        <JsonBlock value={value} />
      </div>
    </details>
  );
}

/** The run is waiting for its reply now (the engine says so). */
export function isAwaitingReply(run: SagaStepRunView): boolean {
  return run.awaitingReply;
}
