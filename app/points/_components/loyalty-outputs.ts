import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

/** What the loyalty procedures answer, as the browser receives it. */
export type LoyaltyOutputs = inferRouterOutputs<AppRouter>["loyalty"];
export type LoyaltySummaryView = LoyaltyOutputs["summary"];
export type PointLotView = LoyaltyOutputs["lots"][number];
export type PointHistoryPageView = LoyaltyOutputs["history"];
