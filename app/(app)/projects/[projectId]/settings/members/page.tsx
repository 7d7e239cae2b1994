import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { requireProjectPage } from "@/lib/server/page-access";
import { MembersClient } from "./members-client";

export const metadata: Metadata = { title: "Project members" };

export default async function MembersPage({ params }: { params: Promise<{ projectId: string }> }) {
  const user = await requirePageUser();
  const { projectId } = await requireProjectPage(user, (await params).projectId);
  return <MembersClient projectId={projectId} />;
}
