import { formatCents } from "@/server/retail/money";
import type { AdminOutputs } from "../../_lib/admin-api";

type Run = AdminOutputs["simulator"]["status"];
type Verdict = "holds" | "settling" | "broken";

const VERDICT = {
  holds: { label: "Holds", className: "bg-emerald-50 text-emerald-900 ring-emerald-300" },
  settling: { label: "Settling", className: "bg-sky-50 text-sky-900 ring-sky-300" },
  broken: { label: "Broken", className: "bg-rose-100 text-rose-900 ring-rose-400" },
} as const;

/** Equal once the run has settled; unequal meanwhile is only settling, unequal after is broken. */
const settles = (equal: boolean, finished: boolean): Verdict => (equal ? "holds" : finished ? "broken" : "settling");

/** What must be true of a flash sale, live: never more sold than on sale, money only for confirmed orders, points for every purchase. */
export function InvariantList({ run }: { run: Run }) {
  const invariants: { id: string; title: string; verdict: Verdict; detail: string }[] = [
    {
      id: "sold",
      title: "Units sold within stock",
      verdict: run.sold <= run.unitsOnSale ? "holds" : "broken",
      detail: `${run.sold} sold of ${run.unitsOnSale} on sale · stock ${run.stock.onHand} on hand, ${run.stock.reserved} reserved, ${run.stock.available} available`,
    },
    {
      id: "oversold",
      title: "Oversold",
      verdict: run.oversold === 0 ? "holds" : "broken",
      detail: run.oversold === 0 ? "0 — nobody bought a unicorn that was not there" : `${run.oversold} units sold that did not exist`,
    },
    {
      id: "money",
      title: "Money taken = orders confirmed",
      verdict: settles(run.moneyTakenCents === run.confirmedOrdersCents, run.finished),
      detail: `${formatCents(run.moneyTakenCents)} taken from wallets · ${formatCents(run.confirmedOrdersCents)} of confirmed orders`,
    },
    {
      id: "points",
      title: "Points awarded for every purchase",
      // Loyalty learns of purchases from published events, a moment after the sagas settle: behind is catching up.
      verdict: run.pointsAwardedPurchases === run.purchases ? "holds" : "settling",
      detail: `${run.pointsAwardedPurchases} of ${run.purchases} purchases have their points`,
    },
  ];
  return (
    <ul className="grid gap-3 sm:grid-cols-2">
      {invariants.map((invariant) => {
        const verdict = VERDICT[invariant.verdict];
        return (
          <li
            key={invariant.id}
            className={`rounded-xl p-3 ring-1 ${verdict.className}`}
            data-testid={`invariant-${invariant.id}`}
            data-verdict={invariant.verdict}
          >
            <p className="flex justify-between gap-2 font-semibold">
              {invariant.title} <span>{verdict.label}</span>
            </p>
            <p className="mt-1 text-sm" data-testid={`invariant-${invariant.id}-detail`}>
              {invariant.detail}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
