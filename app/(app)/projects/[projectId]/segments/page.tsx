import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { requireProjectPage } from "@/lib/server/page-access";
import { SegmentsClient } from "./segments-client";

export const metadata: Metadata = { title: "Segments" };

export default async function SegmentsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const user = await requirePageUser();
  const { projectId } = await requireProjectPage(user, (await params).projectId);
  return <SegmentsClient projectId={projectId} />;
}
