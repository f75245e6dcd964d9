import { LocalDateTime } from "@/app/_components/local-date-time";
import { formatCount } from "@/app/_lib/format-count";
import type { PointLotView } from "./loyalty-outputs";

type LotStatus = { label: string; className: string };

/**
 * Where a lot stands, in the words of the read models (no clock here: "expiring soon" is the summary's own list, and
 * a lot reads as expired once the expiry process has recorded it).
 */
function statusOf(lot: PointLotView, expiringSoon: boolean): LotStatus {
  if (lot.expired) return { label: "Expired", className: "bg-gray-100 text-gray-700" };
  if (lot.remaining === 0) return { label: "Spent", className: "bg-gray-100 text-gray-700" };
  if (expiringSoon) return { label: "Expiring soon", className: "bg-amber-100 text-amber-900" };
  return { label: "Active", className: "bg-emerald-100 text-emerald-800" };
}

/** Each award of points and when it expires, soonest expiry first. */
export function LotsTable({ lots, expiringSoonIds }: { lots: PointLotView[]; expiringSoonIds: ReadonlySet<string> }) {
  return (
    <section aria-labelledby="points-lots-heading" className="min-w-0 rounded-2xl border border-gray-200 bg-white p-6 shadow-sm">
      <h2 id="points-lots-heading" className="text-lg font-semibold">
        Your points and when they expire
      </h2>
      {lots.length === 0 ? (
        <p className="mt-3 text-gray-600">Nothing here yet. Each purchase that earns points adds a lot.</p>
      ) : (
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Lots of points, soonest expiry first</caption>
            <thead className="text-gray-600">
              <tr>
                <th scope="col" className="py-2 pr-3 font-medium">Points left</th>
                <th scope="col" className="hidden py-2 pr-3 font-medium sm:table-cell">Earned</th>
                <th scope="col" className="py-2 pr-3 font-medium">Expires</th>
                <th scope="col" className="py-2 font-medium">Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {lots.map((lot) => {
                const status = statusOf(lot, expiringSoonIds.has(lot.lotId));
                return (
                  <tr key={lot.lotId} data-testid="points-lot">
                    <td className="py-2 pr-3 font-semibold whitespace-nowrap">
                      {formatCount(lot.remaining)}
                      <span className="font-normal text-gray-500"> of {formatCount(lot.points)}</span>
                    </td>
                    <td className="hidden py-2 pr-3 whitespace-nowrap sm:table-cell">
                      <LocalDateTime date={lot.earnedAt} format="date" />
                    </td>
                    <td className="py-2 pr-3 whitespace-nowrap" data-testid="points-lot-expires">
                      <LocalDateTime date={lot.expiresAt} format="date" />
                    </td>
                    <td className="py-2">
                      <span className={`rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${status.className}`}>
                        {status.label}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
