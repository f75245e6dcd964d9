const grouped = new Intl.NumberFormat("en-US");

/** 1 → "1 point"; 1200 → "1,200 points": the words people read in messages and in their history. */
export function formatPoints(points: number): string {
  return `${grouped.format(points)} ${Math.abs(points) === 1 ? "point" : "points"}`;
}
