"use client";

import { useRef, type ReactNode } from "react";
import { CONFIRM_TONES, ConfirmDialog, type ConfirmDialogHandle, type ConfirmTone } from "./confirm-dialog";

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
  tone?: ConfirmTone;
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
        className={`rounded-lg px-3 py-2 text-sm font-semibold disabled:cursor-not-allowed disabled:opacity-60 aria-disabled:cursor-wait aria-disabled:opacity-70 ${CONFIRM_TONES[tone]}`}
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
