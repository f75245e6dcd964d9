import { actOnSaga } from "@/server/admin/sagas/act-on-saga";
import { bulkRetryCompensations, bulkRetryPicked, countBulkRetryTargets } from "@/server/admin/sagas/bulk-retry-compensations";
import { getSagaDetail } from "@/server/admin/sagas/get-saga-detail";
import { countSagasByStatus, listSagas, listSagasNeedingAttention } from "@/server/admin/sagas/list-sagas";
import { sagaThroughputLastHour } from "@/server/admin/sagas/saga-throughput";
import { listAudit } from "@/server/admin/audit/list-audit";
import { listAuditPage } from "@/server/admin/audit/list-audit-page";
import { adjustCustomerPoints } from "@/server/admin/loyalty/adjust-customer-points";
import { retryParkedStream } from "@/server/admin/loyalty/retry-parked-stream";
import { listDeadLetters, redriveDeadLetter } from "@/server/admin/outbox/dead-letters";
import { latestInvariantAudit } from "@/server/retail/invariants/run-invariant-audit";
import {
  createCampaignRule,
  retireCampaignRule,
  setCampaignRuleEnabled,
  updateCampaignRule,
} from "@/server/admin/loyalty/campaign-rule-changes";
import { listCampaignRuleViews } from "@/server/admin/loyalty/list-campaign-rule-views";
import { updateRedemptionRule } from "@/server/admin/loyalty/redemption-rule-changes";
import { requestProjectionRebuild } from "@/server/admin/request-projection-rebuild";
import { getFlashSaleStatus } from "@/server/admin/simulator/get-flash-sale-status";
import { SIMULATED_PRODUCT_SLUG, startFlashSaleSimulation } from "@/server/admin/simulator/start-flash-sale-simulation";
import { env } from "@/server/env";
import { startCheckout } from "@/server/retail/checkout/start-checkout";
import { listParkedStreams } from "@/server/loyalty/projections/parked-streams";
import { projectionLags } from "@/server/loyalty/projections/projection-checkpoints";
import { findCampaignRuleVersions } from "@/server/loyalty/rules/campaign-rule-store";
import { readRedemptionRule } from "@/server/loyalty/rules/redemption-rule-store";
import { reservationTtlMs, sagaEngine } from "@/server/runtime/checkout-saga-engine";
import { actOnQueueJob } from "@/server/admin/queues/act-on-queue-job";
import { getQueueJob } from "@/server/admin/queues/get-queue-job";
import { listQueueJobs } from "@/server/admin/queues/list-queue-jobs";
import { queueJobAudit } from "@/server/admin/queues/queue-job-audit";
import { queueDepthLastHour } from "@/server/admin/queues/queue-depth-last-hour";
import { stepLatencyLastHour } from "@/server/admin/queues/step-latency";
import { readQueueHealth } from "@/server/queues/queue-health";
import { sqlPool } from "@/server/sql";
import { adminProcedure, router, staffProcedure } from "../trpc";
import {
  auditListInput,
  bulkRetryCountInput,
  auditPageInput,
  bulkRetryInput,
  outboxEventInput,
  parkedStreamInput,
  sagaIdInput,
  sagaListInput,
  simulatorStartInput,
  simulatorStatusInput,
} from "./admin.schema";
import { queueJobInput, queueJobsInput } from "./admin-queues.schema";
import {
  adjustPointsInput,
  createRuleInput,
  redemptionRuleInput,
  ruleIdInput,
  ruleVersionsInput,
  setRuleEnabledInput,
  updateRuleInput,
} from "./loyalty.schema";

const actorOf = (customer: { id: string; email: string }) => ({ id: customer.id, email: customer.email });

/**
 * The admin monitor. Staff (admin or support) may look; only admins may act. Every procedure refuses customers and
 * anonymous callers.
 */
export const adminRouter = router({
  sagas: router({
    list: staffProcedure.input(sagaListInput).query(({ input }) => listSagas(input)),
    needingAttention: staffProcedure.query(() => listSagasNeedingAttention()),
    counts: staffProcedure.query(() => countSagasByStatus()),
    throughput: staffProcedure.query(() => sagaThroughputLastHour()),
    get: staffProcedure
      .input(sagaIdInput)
      .query(({ ctx, input }) =>
        getSagaDetail({ sagaId: input.sagaId, withStacks: ctx.customer.role === "admin", engine: sagaEngine, now: new Date() }),
      ),
    retryCompensation: adminProcedure
      .input(sagaIdInput)
      .mutation(({ ctx, input }) =>
        actOnSaga({ action: "retry-compensation", sagaId: input.sagaId, actor: actorOf(ctx.customer), engine: sagaEngine }),
      ),
    redrive: adminProcedure
      .input(sagaIdInput)
      .mutation(({ ctx, input }) => actOnSaga({ action: "redrive", sagaId: input.sagaId, actor: actorOf(ctx.customer), engine: sagaEngine })),
    cancel: adminProcedure
      .input(sagaIdInput)
      .mutation(({ ctx, input }) => actOnSaga({ action: "cancel", sagaId: input.sagaId, actor: actorOf(ctx.customer), engine: sagaEngine })),
    bulkRetry: adminProcedure
      .input(bulkRetryInput)
      .mutation(({ ctx, input }) =>
        input.sagaIds
          ? bulkRetryPicked({ sagaIds: input.sagaIds, actor: actorOf(ctx.customer), engine: sagaEngine })
          : bulkRetryCompensations({ filter: input.filter ?? {}, actor: actorOf(ctx.customer), engine: sagaEngine }),
      ),
    /** How many sagas "Retry all matching" would take up: the count its confirm dialog shows. */
    bulkRetryCount: staffProcedure.input(bulkRetryCountInput).query(({ input }) => countBulkRetryTargets(input)),
  }),
  queues: router({
    health: staffProcedure.query(() => readQueueHealth()),
    depth: staffProcedure.query(() => queueDepthLastHour()),
    stepLatency: staffProcedure.query(() => stepLatencyLastHour()),
    jobs: staffProcedure.input(queueJobsInput).query(({ input }) => listQueueJobs(input)),
    job: staffProcedure
      .input(queueJobInput)
      .query(({ ctx, input }) => getQueueJob({ ...input, withStacks: ctx.customer.role === "admin" })),
    jobAudit: staffProcedure.input(queueJobInput).query(({ input }) => queueJobAudit(input)),
    retryJob: adminProcedure
      .input(queueJobInput)
      .mutation(({ ctx, input }) => actOnQueueJob({ action: "retry", ...input, actor: actorOf(ctx.customer) })),
    removeJob: adminProcedure
      .input(queueJobInput)
      .mutation(({ ctx, input }) => actOnQueueJob({ action: "remove", ...input, actor: actorOf(ctx.customer) })),
  }),
  invariants: router({
    latest: staffProcedure.query(() => latestInvariantAudit()),
  }),
  outbox: router({
    deadLetters: staffProcedure.query(() => listDeadLetters()),
    redrive: adminProcedure
      .input(outboxEventInput)
      .mutation(({ ctx, input }) => redriveDeadLetter({ eventId: input.eventId, actor: actorOf(ctx.customer) })),
  }),
  audit: router({
    list: staffProcedure.input(auditListInput).query(({ input }) => listAudit(input)),
    /** The whole log a page at a time, for /admin/audit. */
    page: staffProcedure
      .input(auditPageInput)
      .query(({ input: { cursor, limit, ...filter } }) => listAuditPage({ filter, cursor, limit })),
  }),
  loyalty: router({
    rules: router({
      list: staffProcedure.query(() => listCampaignRuleViews({ now: new Date() })),
      /** Any versions by id, replaced and retired ones too: what a PointsEarned event's ruleIds were. */
      versions: staffProcedure.input(ruleVersionsInput).query(({ input }) => findCampaignRuleVersions(sqlPool, input.ids)),
      create: adminProcedure
        .input(createRuleInput)
        .mutation(({ ctx, input }) => createCampaignRule({ draft: input, actor: actorOf(ctx.customer) })),
      setEnabled: adminProcedure
        .input(setRuleEnabledInput)
        .mutation(({ ctx, input }) => setCampaignRuleEnabled({ id: input.id, enabled: input.enabled, actor: actorOf(ctx.customer) })),
      /** An edit: a new version of the rule; purchases awarded under the old one keep naming it. */
      update: adminProcedure
        .input(updateRuleInput)
        .mutation(({ ctx, input: { id, ...draft } }) => updateCampaignRule({ id, draft, actor: actorOf(ctx.customer) })),
      retire: adminProcedure
        .input(ruleIdInput)
        .mutation(({ ctx, input }) => retireCampaignRule({ id: input.id, actor: actorOf(ctx.customer) })),
    }),
    /** What points are worth at checkout (one rule): staff see it, admins change it. */
    redemptionRule: router({
      get: staffProcedure.query(() => readRedemptionRule(sqlPool)),
      update: adminProcedure
        .input(redemptionRuleInput)
        .mutation(({ ctx, input }) => updateRedemptionRule({ rule: input, actor: actorOf(ctx.customer) })),
    }),
    adjust: adminProcedure
      .input(adjustPointsInput)
      .mutation(({ ctx, input }) => adjustCustomerPoints({ ...input, actor: actorOf(ctx.customer) })),
    projections: staffProcedure.query(() => projectionLags(sqlPool)),
    rebuild: adminProcedure.mutation(({ ctx }) => requestProjectionRebuild({ actor: actorOf(ctx.customer) })),
    parkedStreams: staffProcedure.query(() => listParkedStreams(sqlPool)),
    retryParkedStream: adminProcedure
      .input(parkedStreamInput)
      .mutation(({ ctx, input }) => retryParkedStream({ ...input, actor: actorOf(ctx.customer) })),
  }),
  simulator: router({
    start: adminProcedure.input(simulatorStartInput).mutation(({ ctx, input }) =>
      startFlashSaleSimulation({
        shoppers: input.shoppers,
        shopMode: env.SHOP_MODE,
        actor: actorOf(ctx.customer),
        startCheckoutFor: ({ customerId, idempotencyKey }) =>
          startCheckout({ customerId, productSlug: SIMULATED_PRODUCT_SLUG, quantity: 1, idempotencyKey, sagas: sagaEngine, reservationTtlMs }),
      }),
    ),
    status: staffProcedure.input(simulatorStatusInput).query(({ input }) => getFlashSaleStatus({ runId: input.runId })),
  }),
});
