import { redirect } from "next/navigation";
import { requireStaff } from "./_lib/require-staff";

/** The monitor opens on the sagas. */
export default async function AdminHome() {
  await requireStaff("/admin");
  redirect("/admin/sagas");
}
