import type { Metadata } from "next";
import { ScheduledChangesList } from "@/components/release-rules/scheduled-changes-list";
import { requirePageUser } from "@/lib/auth/session";
import { requireProjectPage } from "@/lib/server/page-access";

export const metadata: Metadata = { title: "Scheduled changes" };

export default async function ScheduledChangesPage({ params }: { params: Promise<{ projectId: string }> }) {
  const user = await requirePageUser();
  const { projectId } = await requireProjectPage(user, (await params).projectId);
  return <ScheduledChangesList projectId={projectId} />;
}
