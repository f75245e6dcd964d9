import type { SelectHTMLAttributes } from "react";
import { FieldFrame } from "./text-field";

/** A labelled drop-down with its error shown right under it and announced, like TextField. */
export function SelectField({
  label,
  name,
  error,
  hint,
  options,
  selectClassName = "w-full",
  ...selectProps
}: {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  options: readonly { value: string | number; label: string }[];
  /** Width of the drop-down itself; the label, hint and error keep the field's full width. */
  selectClassName?: string;
} & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint}>
      {(control) => (
        <select
          {...control}
          name={name}
          className={`block ${selectClassName} rounded-lg border bg-white px-3 py-2 text-base text-gray-900 shadow-sm disabled:bg-gray-100 disabled:text-gray-500 ${error ? "border-rose-500" : "border-gray-300"}`}
          {...selectProps}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}
