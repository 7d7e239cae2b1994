import { redirect } from "next/navigation";
import { requirePageUser } from "@/lib/auth/session";
import { projectLandingPath, requireProjectPage } from "@/lib/server/page-access";

// A project opens on its first environment's features (or on environments, when it has none).
export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const user = await requirePageUser();
  const { projectId } = await requireProjectPage(user, (await params).projectId);
  redirect(await projectLandingPath(projectId));
}
