"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { SagaTime } from "./saga-time";
import { orderNumberOfCheckout } from "@/server/retail/orders/order-number";
import { useTRPC } from "@/app/_trpc/client";
import { formatCents } from "@/server/retail/money";
import { AdminPanel } from "../../../_components/admin-panel";
import { SagaStatusBadge } from "../../../_components/saga-status-badge";
import type { SagaDetailView } from "../../../_lib/admin-api";
import { LIVE_REFRESH_MS } from "../../../_lib/live";
import { awaitedBy, shortSagaId } from "../../../_lib/saga-words";
import { queryOfFilter } from "../../_lib/saga-filter-params";
import { JsonBlock } from "./json-block";
import { SagaActions } from "./saga-actions";
import { SagaTimeline } from "./saga-timeline";
import { isAwaitingReply } from "./step-messages";

/** A saga in one of these is done for good: it shows when it finished, and no deadline or next job. */
const FINISHED_FOR_GOOD: readonly SagaDetailView["status"][] = ["completed", "compensated"];

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex flex-wrap justify-between gap-x-3 py-1">
      <dt className="text-gray-600">{term}</dt>
      <dd className="min-w-0 text-right font-medium break-all">{children}</dd>
    </div>
  );
}

const when = (date: Date | null, otherwise: string) => (date ? <SagaTime date={date} /> : otherwise);

/** One saga, asked again every couple of seconds while an operator watches it. */
export function SagaDetail({ initialSaga, canAct }: { initialSaga: SagaDetailView; canAct: boolean }) {
  const trpc = useTRPC();
  const saga = useQuery(
    trpc.admin.sagas.get.queryOptions({ sagaId: initialSaga.id }, { initialData: initialSaga, refetchInterval: LIVE_REFRESH_MS }),
  ).data;
  const event = saga.purchaseEvent;
  const awaiting = saga.steps.find(isAwaitingReply);
  const gaveUp = saga.actionPlan?.retry?.step ?? saga.currentStep;
  const over = FINISHED_FOR_GOOD.includes(saga.status);

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <p className="text-sm">
          <Link href="/admin/sagas" className="font-medium text-brand-700 hover:underline">
            ← All sagas
          </Link>
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-bold">
            Saga <span className="font-mono">{shortSagaId(saga.id)}</span>
          </h1>
          <span data-testid="saga-status">
            <SagaStatusBadge status={saga.status} />
          </span>
        </div>
        <p className="font-mono text-xs break-all text-gray-600">{saga.id}</p>
        {/* The step the retry will run again (the plan's), so that banner and dialog cannot name two steps. */}
        {saga.status === "needs_attention" && gaveUp && (
          <p className="rounded-lg bg-rose-100 px-3 py-2 text-sm font-medium text-rose-900" data-testid="attention-reason">
            Undoing {gaveUp} gave up: see its last run below. Fix the cause, then retry the compensation.
          </p>
        )}
        {saga.failureReason && (
          <p className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-900" data-testid="failure-reason">
            <span className="font-semibold">Failed at {saga.failedStep ?? "a step"}:</span> {saga.failureReason}
          </p>
        )}
      </div>

      {canAct ? (
        <SagaActions sagaId={saga.id} status={saga.status} plan={saga.actionPlan} />
      ) : (
        <p className="text-sm text-gray-700">Support staff can look but not act: ask an admin to retry, redrive or cancel.</p>
      )}

      <div className="grid gap-6 lg:grid-cols-[1.6fr_1fr]">
        <AdminPanel id="timeline-heading" title="Timeline" testId="saga-timeline">
          <SagaTimeline steps={saga.steps} showStacks={canAct} />
        </AdminPanel>
        <div className="min-w-0 space-y-6">
          <AdminPanel id="saga-heading" title="Saga">
            <dl className="divide-y divide-gray-100 text-sm">
              <Fact term="Type">{saga.sagaType}</Fact>
              <Fact term="Current step">{saga.currentStep ?? "—"}</Fact>
              <Fact term="Started">{when(saga.createdAt, "—")}</Fact>
              {/* Finished only when it has; one needing attention stopped, but is not done; a deadline acts on a running saga only. */}
              {over && <Fact term="Finished">{when(saga.finishedAt, "—")}</Fact>}
              {saga.status === "needs_attention" && <Fact term="Gave up">{when(saga.finishedAt, "—")}</Fact>}
              {saga.status === "running" && <Fact term="Deadline">{when(saga.deadlineAt, "None")}</Fact>}
              <Fact term="Waiting for">
                {awaiting ? (
                  <span data-testid="saga-awaiting">
                    {awaiting.replyFrom ?? awaitedBy(awaiting.step)} since{" "}
                    {when(awaiting.awaitingSince, "—")}
                  </span>
                ) : (
                  "Nothing"
                )}
              </Fact>
              {!over && saga.status !== "needs_attention" && <Fact term="Next job due">{when(saga.nextJobDueAt, "None")}</Fact>}
            </dl>
          </AdminPanel>
          <AdminPanel id="customer-and-order-heading" title="Customer and order" testId="saga-related">
            <dl className="divide-y divide-gray-100 text-sm">
              <Fact term="Customer">
                {saga.customer ? (
                  <Link href={`/admin/sagas${queryOfFilter({ customerId: saga.customer.id })}`} className="text-brand-700 hover:underline">
                    {saga.customer.name} ({saga.customer.email})
                  </Link>
                ) : (
                  "—"
                )}
              </Fact>
              {/* The number the customer reads on every page of theirs, derived from the checkout (= this saga). */}
              <Fact term="Order">{saga.order ? orderNumberOfCheckout(saga.id) : `No order (${orderNumberOfCheckout(saga.id)})`}</Fact>
              {saga.order && <Fact term="Order total">{formatCents(saga.order.totalCents)}</Fact>}
              {saga.order && <Fact term="Ordered">{when(saga.order.createdAt, "—")}</Fact>}
            </dl>
          </AdminPanel>
          <AdminPanel id="purchasecompleted-event-heading" title="PurchaseCompleted event" testId="purchase-event">
            {event ? (
              <dl className="divide-y divide-gray-100 text-sm">
                <Fact term="Event id">
                  <span className="font-mono text-xs">{event.eventId}</span>
                </Fact>
                <Fact term="Published">{when(event.publishedAt, "Not yet")}</Fact>
                <Fact term="Publish attempts">{event.publishAttempts}</Fact>
                <Fact term="Loyalty">
                  <span data-testid="loyalty-processed">
                    {event.loyaltyProcessedAt ? (
                      <>
                        Processed <SagaTime date={event.loyaltyProcessedAt} />
                      </>
                    ) : (
                      "Not processed yet"
                    )}
                  </span>
                </Fact>
              </dl>
            ) : (
              <p className="text-sm text-gray-700">None: only a completed order publishes one.</p>
            )}
          </AdminPanel>
        </div>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <AdminPanel id="input-heading" title="Input">
          <JsonBlock value={saga.input} testId="saga-input" />
        </AdminPanel>
        <AdminPanel id="step-outputs-heading" title="Step outputs">
          <JsonBlock value={saga.outputs} testId="saga-outputs" />
        </AdminPanel>
      </div>

      <AdminPanel id="audit-trail-heading" title="Audit trail" testId="saga-audit">
        {saga.audit.length === 0 ? (
          <p className="text-sm text-gray-700">No operator has acted on this saga.</p>
        ) : (
          <ol className="divide-y divide-gray-100 text-sm">
            {saga.audit.map((entry) => (
              <li key={entry.id} className="py-2" data-testid="audit-entry">
                <p>
                  <span className="font-semibold">{entry.action}</span> by {entry.actorEmail} · <SagaTime date={entry.createdAt} />
                </p>
                <p className="text-gray-700">{entry.outcome}</p>
              </li>
            ))}
          </ol>
        )}
      </AdminPanel>
    </div>
  );
}
