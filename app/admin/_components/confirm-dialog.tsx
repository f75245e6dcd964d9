"use client";

import { useId, useImperativeHandle, useRef, type ReactNode, type Ref } from "react";

/** The colours of a confirmed action, shared by the dialog's confirm button and the ConfirmButton that opens it. */
export const CONFIRM_TONES = {
  primary: "bg-brand-600 text-white hover:bg-brand-700",
  danger: "bg-rose-700 text-white hover:bg-rose-800",
} as const;

export type ConfirmTone = keyof typeof CONFIRM_TONES;

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
  tone?: ConfirmTone;
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
          className={`rounded-lg px-3 py-2 text-sm font-semibold ${CONFIRM_TONES[tone]}`}
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
