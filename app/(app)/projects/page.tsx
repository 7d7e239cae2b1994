import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { ProjectsClient } from "./projects-client";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  await requirePageUser();
  return <ProjectsClient />;
}
