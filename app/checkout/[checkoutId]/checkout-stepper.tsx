import type { StepperItem, StepState } from "../checkout-stepper-items";
import { CheckMark, Cross, Spinner, UndoArrow } from "./checkout-icons";

/** The "Reserved → (Points used →) Paid → Confirmed" stepper and the progress bar above it. */

export function ProgressBar({ doneCount, stepCount, message }: { doneCount: number; stepCount: number; message: string }) {
  // Half a step for the one under way, so the bar moves as soon as the checkout starts.
  const percent = Math.round(((Math.min(doneCount, stepCount - 1) + 0.5) / stepCount) * 100);
  return (
    <div
      role="progressbar"
      aria-label="Checkout progress"
      aria-valuemin={0}
      aria-valuemax={stepCount}
      aria-valuenow={doneCount}
      aria-valuetext={`${doneCount} of ${stepCount} steps done. ${message}`}
      className="h-2 overflow-hidden rounded-full bg-brand-100"
    >
      <div
        className="h-full rounded-full bg-brand-600 transition-[width] duration-500 ease-out motion-safe:animate-pulse"
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}

export function Stepper({ steps }: { steps: StepperItem[] }) {
  return (
    <ol aria-label="Checkout steps" className={`grid gap-2 ${steps.length === 4 ? "grid-cols-4" : "grid-cols-3"}`}>
      {steps.map((item, index) => (
        <li
          key={item.step}
          data-testid={`step-${item.step}`}
          data-state={item.state}
          className="relative flex flex-col items-center gap-2 text-center"
        >
          {index > 0 && (
            <span
              aria-hidden="true"
              className={`absolute top-5 right-1/2 h-0.5 w-full -translate-y-1/2 ${item.state === "done" ? "bg-emerald-500" : "bg-gray-200"}`}
            />
          )}
          <StepIcon state={item.state} number={index + 1} />
          <span className="font-semibold text-gray-900">{item.label}</span>
          <span className={`text-sm font-medium ${STATE_TEXT_CLASS[item.state]}`}>
            <span className="sr-only">: </span>
            {item.stateText}
          </span>
        </li>
      ))}
    </ol>
  );
}

const STATE_TEXT_CLASS: Record<StepState, string> = {
  waiting: "text-gray-500",
  "not-started": "text-gray-500",
  "in-progress": "text-brand-700",
  retrying: "text-amber-700",
  done: "text-emerald-700",
  failed: "text-rose-700",
  undoing: "text-amber-700",
  undone: "text-gray-700",
};

function StepIcon({ state, number }: { state: StepState; number: number }) {
  const circle = "relative z-10 flex size-10 items-center justify-center rounded-full text-sm font-bold";
  switch (state) {
    case "done":
      return (
        <span aria-hidden="true" className={`${circle} bg-emerald-600 text-white`}>
          <CheckMark />
        </span>
      );
    case "failed":
      return (
        <span aria-hidden="true" className={`${circle} bg-rose-600 text-white`}>
          <Cross />
        </span>
      );
    case "undone":
      return (
        <span aria-hidden="true" className={`${circle} border-2 border-gray-400 bg-white text-gray-600`}>
          <UndoArrow />
        </span>
      );
    case "in-progress":
    case "retrying":
    case "undoing":
      return (
        <span
          aria-hidden="true"
          className={`${circle} border-2 bg-white ${state === "in-progress" ? "border-brand-600 text-brand-600" : "border-amber-500 text-amber-600"}`}
        >
          <Spinner className="size-5" />
        </span>
      );
    case "waiting":
      return (
        <span aria-hidden="true" className={`${circle} border-2 border-gray-300 bg-white text-gray-500`}>
          {number}
        </span>
      );
    case "not-started":
      return (
        <span aria-hidden="true" className={`${circle} border-2 border-dashed border-gray-300 bg-gray-50 text-gray-400`}>
          {number}
        </span>
      );
  }
}
