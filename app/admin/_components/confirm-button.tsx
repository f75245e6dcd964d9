"use client";

import { useId, useImperativeHandle, useRef, type ReactNode, type Ref } from "react";

const TONES = {
  primary: "bg-brand-600 text-white hover:bg-brand-700",
  danger: "bg-rose-700 text-white hover:bg-rose-800",
} as const;

/** Opens a ConfirmDialog from outside it: a form checks its fields first, then asks. */
export type ConfirmDialogHandle = { open: () => void };

/**
 * The confirmation itself, a modal <dialog>: focus moves to its safe choice (Go back), Escape closes it, and `onClosed`
 * gives focus back to whatever opened it.
 */
export function ConfirmDialog({
  ref,
  question,
  children,
  confirmLabel,
  tone = "primary",
  onConfirm,
  onClosed,
}: {
  ref: Ref<ConfirmDialogHandle>;
  question: string;
  /** What will happen, in a sentence or two. */
  children: ReactNode;
  confirmLabel: string;
  tone?: keyof typeof TONES;
  onConfirm: () => void;
  onClosed: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const goBack = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  useImperativeHandle(ref, () => ({
    open: () => {
      dialog.current?.showModal();
      goBack.current?.focus();
    },
  }));

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onClose={onClosed}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-2xl bg-white p-6 text-gray-900 shadow-xl backdrop:bg-gray-900/50"
    >
      {/* A customer's email can be one long word: it wraps rather than widening the dialog past a phone's edge. */}
      <h2 id={titleId} className="text-lg font-semibold break-words">
        {question}
      </h2>
      <div id={descriptionId} className="mt-2 text-sm text-gray-700">
        {children}
      </div>
      <div className="mt-6 flex flex-wrap justify-end gap-2">
        <button
          ref={goBack}
          type="button"
          onClick={() => dialog.current?.close()}
          className="rounded-lg border border-gray-300 px-3 py-2 text-sm font-semibold text-gray-800 hover:bg-gray-50"
        >
          Go back
        </button>
        <button
          type="button"
          onClick={() => {
            dialog.current?.close();
            onConfirm();
          }}
          className={`rounded-lg px-3 py-2 text-sm font-semibold ${TONES[tone]}`}
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/**
 * A button whose action is confirmed first, in a ConfirmDialog; focus returns to the button afterwards. For operator
 * actions that change live sagas or data.
 */
export function ConfirmButton({
  label,
  question,
  children,
  confirmLabel = label,
  tone = "primary",
  pending = false,
  disabled = false,
  onConfirm,
}: {
  label: string;
  question: string;
  /** What will happen, in a sentence or two. */
  children: ReactNode;
  confirmLabel?: string;
  tone?: keyof typeof TONES;
  pending?: boolean;
  disabled?: boolean;
  onConfirm: () => void;
}) {
  const dialog = useRef<ConfirmDialogHandle>(null);
  const trigger = useRef<HTMLButtonElement>(null);

  return (
    <>
      <button
        ref={trigger}
        type="button"
        disabled={disabled}
        // Not disabled while the action runs: focus comes back here after the dialog and must not be lost.
        aria-disabled={pending || undefined}
        onClick={() => {
          if (!pending) dialog.current?.open();
        }}
        className={`rounded-lg px-3 py-2 text-sm font-semibold disabled:cursor-not-allowed disabled:opacity-60 aria-disabled:cursor-wait aria-disabled:opacity-70 ${TONES[tone]}`}
      >
        {pending ? "Please wait…" : label}
      </button>
      <ConfirmDialog
        ref={dialog}
        question={question}
        confirmLabel={confirmLabel}
        tone={tone}
        onConfirm={onConfirm}
        onClosed={() => trigger.current?.focus()}
      >
        {children}
      </ConfirmDialog>
    </>
  );
}

/** The answer to an operator's action, announced: what was done, or why there was nothing to do. */
export function ActionMessage({ outcome, error }: { outcome?: { done: boolean; message: string }; error?: string }) {
  return (
    <div role="status" aria-live="polite" className="min-h-0">
      {error ? (
        <p className="rounded-lg bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800" data-testid="action-message">
          {error}
        </p>
      ) : outcome ? (
        <p
          className={`rounded-lg px-3 py-2 text-sm font-medium ${outcome.done ? "bg-emerald-50 text-emerald-900" : "bg-amber-50 text-amber-900"}`}
          data-testid="action-message"
        >
          {outcome.message}
        </p>
      ) : null}
    </div>
  );
}
