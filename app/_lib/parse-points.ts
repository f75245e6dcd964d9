/** "250" or "1,000" → a whole number of points; anything else gets a message a person understands instead. */
export function parsePoints(text: string): { ok: true; points: number } | { ok: false; message: string } {
  const trimmed = text.trim().replaceAll(",", "");
  if (!/^\d{1,9}$/.test(trimmed)) return { ok: false, message: "Enter a whole number of points, like 50." };
  return { ok: true, points: Number(trimmed) };
}
