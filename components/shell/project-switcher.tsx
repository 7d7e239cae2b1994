"use client";

import { useRouter } from "next/navigation";
import { Select } from "@/components/ui/select";
import { useProject } from "@/lib/client/queries/use-project";
import { useProjects } from "@/lib/client/queries/use-projects";
import { routes } from "@/lib/client/routes";

const ALL_PROJECTS = "__all__";

/** Jumps between projects (the first 100 by name; the project list page has search for more). */
export function ProjectSwitcher({ projectId }: { projectId: number | undefined }) {
  const router = useRouter();
  const projects = useProjects({ page_size: 100 });
  const current = useProject(projectId);
  const listed = projects.data?.results ?? [];
  const options = listed.map((project) => ({ value: String(project.id), label: project.name }));
  if (current.data && !listed.some((project) => project.id === current.data.id)) {
    options.unshift({ value: String(current.data.id), label: current.data.name });
  }
  options.push({ value: ALL_PROJECTS, label: "All projects…" });

  // An id in the URL that is not (or not yet) among the options shows the placeholder, not a stranger.
  const selected =
    projectId !== undefined && options.some((option) => option.value === String(projectId))
      ? String(projectId)
      : "";

  return (
    <Select
      label="Project"
      value={selected}
      placeholder={selected ? undefined : projects.isPending ? "Loading projects…" : "Choose a project"}
      options={options}
      disabled={projects.isPending && projectId === undefined}
      onChange={(event) => {
        const value = event.target.value;
        if (!value) return;
        router.push(value === ALL_PROJECTS ? routes.projects() : routes.project(Number(value)));
      }}
    />
  );
}
