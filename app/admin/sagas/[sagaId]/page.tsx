import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getApi, isTRPCErrorCode } from "@/app/_trpc/server";
import { requireStaff } from "../../_lib/require-staff";
import { shortSagaId } from "../../_lib/saga-words";
import { SagaDetail } from "./_components/saga-detail";

type Props = { params: Promise<{ sagaId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Saga ${shortSagaId((await params).sagaId)}` };
}

/** One saga, live: its timeline of steps and compensations, why it failed, what it touched, and what to do about it. */
export default async function SagaPage({ params }: Props) {
  const { sagaId } = await params;
  const staff = await requireStaff(`/admin/sagas/${encodeURIComponent(sagaId)}`);
  let saga;
  try {
    saga = await (await getApi()).admin.sagas.get({ sagaId });
  } catch (error) {
    // A malformed id names no saga either.
    if (isTRPCErrorCode(error, "NOT_FOUND") || isTRPCErrorCode(error, "BAD_REQUEST")) notFound();
    throw error;
  }
  return <SagaDetail initialSaga={saga} canAct={staff.canAct} />;
}
