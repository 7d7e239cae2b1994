import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { requireProjectPage } from "@/lib/server/page-access";
import { EnvironmentsClient } from "./environments-client";

export const metadata: Metadata = { title: "Environments" };

export default async function EnvironmentsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const user = await requirePageUser();
  const { projectId } = await requireProjectPage(user, (await params).projectId);
  return <EnvironmentsClient projectId={projectId} publicUrl={env().FLAGPOST_PUBLIC_URL} />;
}
