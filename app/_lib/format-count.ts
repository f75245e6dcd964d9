const grouped = new Intl.NumberFormat("en-US");

/** 1200 → "1,200": how every page writes a count (points, sagas, jobs, events), the same on server and browser. */
export function formatCount(count: number): string {
  return grouped.format(count);
}
