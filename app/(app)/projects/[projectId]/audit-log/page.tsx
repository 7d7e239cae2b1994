import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { requireProjectPage } from "@/lib/server/page-access";
import { AuditLogClient } from "./audit-log-client";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditLogPage({ params }: { params: Promise<{ projectId: string }> }) {
  const user = await requirePageUser();
  const { projectId } = await requireProjectPage(user, (await params).projectId);
  return <AuditLogClient projectId={projectId} />;
}
