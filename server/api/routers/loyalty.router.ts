import { getBalanceAt } from "@/server/loyalty/queries/get-balance-at";
import { getLoyaltySummary } from "@/server/loyalty/queries/get-loyalty-summary";
import { getPointHistory } from "@/server/loyalty/queries/get-point-history";
import { getPointsQuote } from "@/server/loyalty/queries/get-points-quote";
import { listPointLots } from "@/server/loyalty/queries/list-point-lots";
import { redeemPoints } from "@/server/loyalty/redeem-points";
import { protectedProcedure, router } from "../trpc";
import { balanceAtInput, historyInput, quoteInput, redeemInput } from "./loyalty.schema";

/**
 * The signed-in customer's points: queries read projections; redeem is a command on the event stream, for outside
 * clients (it spends points and gives nothing back by itself: points pay for a purchase through checkout.start).
 */
export const loyaltyRouter = router({
  summary: protectedProcedure.query(({ ctx }) => getLoyaltySummary({ customerId: ctx.customer.id, now: new Date() })),
  lots: protectedProcedure.query(({ ctx }) => listPointLots({ customerId: ctx.customer.id })),
  history: protectedProcedure
    .input(historyInput)
    .query(({ ctx, input }) => getPointHistory({ customerId: ctx.customer.id, cursor: input.cursor, limit: input.limit })),
  balanceAt: protectedProcedure
    .input(balanceAtInput)
    .query(({ ctx, input }) => getBalanceAt({ customerId: ctx.customer.id, at: input.at })),
  /** What points would take off an order of this amount, and the most this customer can use on it now. */
  quote: protectedProcedure
    .input(quoteInput)
    .query(({ ctx, input }) => getPointsQuote({ customerId: ctx.customer.id, ...input, now: new Date() })),
  redeem: protectedProcedure
    .input(redeemInput)
    .mutation(({ ctx, input }) => redeemPoints({ customerId: ctx.customer.id, ...input, now: new Date() })),
});
