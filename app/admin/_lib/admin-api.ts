import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

/** What the admin procedures answer, as the browser receives it. */
export type AdminOutputs = inferRouterOutputs<AppRouter>["admin"];
export type SagaListRowView = AdminOutputs["sagas"]["list"]["sagas"][number];
export type SagaListPageView = AdminOutputs["sagas"]["list"];
export type NeedingAttentionView = AdminOutputs["sagas"]["needingAttention"];
export type SagaCountsView = AdminOutputs["sagas"]["counts"];
export type SagaDetailView = AdminOutputs["sagas"]["get"];
export type SagaStepRunView = SagaDetailView["steps"][number];
export type CampaignRuleView = AdminOutputs["loyalty"]["rules"]["list"][number];
export type RedemptionRuleView = AdminOutputs["loyalty"]["redemptionRule"]["get"];
export type AuditEntryView = AdminOutputs["audit"]["list"][number];
export type AuditPageView = AdminOutputs["audit"]["page"];

/** What the admin procedures take, as the browser sends it. */
export type AdminInputs = inferRouterInputs<AppRouter>["admin"];
export type CampaignRuleDraftInput = AdminInputs["loyalty"]["rules"]["create"];
export type PointsAdjustmentInput = AdminInputs["loyalty"]["adjust"];
export type RedemptionRuleInput = AdminInputs["loyalty"]["redemptionRule"]["update"];
