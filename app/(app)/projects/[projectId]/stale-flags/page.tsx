import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { requireProjectPage } from "@/lib/server/page-access";
import { StaleFlagsClient } from "./stale-flags-client";

export const metadata: Metadata = { title: "Stale flags" };

export default async function StaleFlagsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const user = await requirePageUser();
  const { projectId } = await requireProjectPage(user, (await params).projectId);
  return <StaleFlagsClient projectId={projectId} />;
}
