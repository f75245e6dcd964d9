/**
 * `<input type="datetime-local">` speaks the reader's wall-clock time without a zone ("2026-11-30T10:00"); the
 * address and the API speak instants. These convert between the two in the browser, where the zone is known.
 */

const pad = (value: number) => String(value).padStart(2, "0");

/** An instant → the reader's local "YYYY-MM-DDTHH:mm". */
export function localInputValueOf(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The reader's local "YYYY-MM-DDTHH:mm" → an instant; undefined when empty or not a time. */
export function instantOfLocalInput(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
