import { limitTopUps } from "@/server/limits/shop-limits";
import { env, topUpDailyLimitCents } from "@/server/env";
import { getWallet } from "@/server/retail/wallet/get-wallet";
import { topUpWallet } from "@/server/retail/wallet/top-up-wallet";
import { protectedProcedure, router } from "../trpc";
import { topUpInput } from "./wallet.schema";

const TOP_UP_DAILY_LIMIT = topUpDailyLimitCents(env);

/** Always the signed-in customer's own wallet: no procedure takes a customer id. */
export const walletRouter = router({
  get: protectedProcedure.query(({ ctx }) => getWallet({ customerId: ctx.customer.id })),
  topUp: protectedProcedure
    .input(topUpInput)
    .mutation(({ ctx, input }) => {
      const customerId = ctx.customer.id;
      return limitTopUps({ customerId }, () => topUpWallet({ customerId, ...input, dailyLimitCents: TOP_UP_DAILY_LIMIT }));
    }),
});
