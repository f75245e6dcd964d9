import type { Metadata } from "next";
import { orNotFound } from "@/app/_lib/or-not-found";
import { getApi } from "@/app/_trpc/server";
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
  // An unknown or malformed id is a 404.
  const saga = await orNotFound((await getApi()).admin.sagas.get({ sagaId }));
  return <SagaDetail initialSaga={saga} canAct={staff.canAct} />;
}
