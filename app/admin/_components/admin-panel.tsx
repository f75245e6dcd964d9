import type { ReactNode } from "react";

/** A card with a heading (and actions beside it): the monitor's unit of layout, a landmark named by its heading. */
export function AdminPanel({
  id,
  title,
  actions,
  testId,
  tone = "plain",
  children,
}: {
  id: string;
  title: ReactNode;
  actions?: ReactNode;
  testId?: string;
  tone?: "plain" | "alert";
  children: ReactNode;
}) {
  const frame = tone === "alert" ? "border-rose-200 bg-rose-50/60" : "border-gray-200 bg-white shadow-sm";
  return (
    <section aria-labelledby={id} className={`min-w-0 space-y-3 rounded-2xl border p-4 ${frame}`} data-testid={testId}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h2 id={id} className={`flex items-center gap-2 text-lg font-semibold ${tone === "alert" ? "text-rose-900" : ""}`}>
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export type Column = { label: string; align?: "right" };

/** Padding shared by every cell of a DataTable row. */
export const CELL = "py-2 pr-3";

/**
 * A table with its caption (for screen readers) and header row, that scrolls sideways on its own (by keyboard too)
 * when a phone is too narrow for it. `minWidth` is a Tailwind class such as "min-w-[40rem]"; the rows are the children.
 */
export function DataTable({
  caption,
  columns,
  minWidth,
  testId,
  framed = false,
  children,
}: {
  caption: string;
  columns: Column[];
  minWidth: string;
  testId?: string;
  /** A card of its own (the saga lists), rather than inside a panel. */
  framed?: boolean;
  children: ReactNode;
}) {
  return (
    // Focusable and named, so that a keyboard can scroll it too when it is wider than the screen.
    <div
      role="region"
      aria-label={caption}
      tabIndex={0}
      className={`overflow-x-auto ${framed ? "rounded-2xl border border-gray-200 bg-white pl-3 shadow-sm" : ""}`}
    >
      <table className={`w-full ${minWidth} text-left text-sm`} data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="text-gray-700">
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={`${CELL} font-semibold ${column.align === "right" ? "text-right" : ""}`}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">{children}</tbody>
      </table>
    </div>
  );
}
