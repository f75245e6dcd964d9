import type { SelectHTMLAttributes } from "react";

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
  const id = `field-${name}`;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-800">
        {label}
      </label>
      <select
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`block ${selectClassName} rounded-lg border bg-white px-3 py-2 text-base text-gray-900 shadow-sm disabled:bg-gray-100 disabled:text-gray-500 ${error ? "border-rose-500" : "border-gray-300"}`}
        {...selectProps}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {hint && !error && (
        <p id={`${id}-hint`} className="text-sm text-gray-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm font-medium text-rose-700" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
