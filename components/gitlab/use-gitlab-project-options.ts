"use client";

import type { SelectOption } from "@/components/ui/select";
import { useDebouncedValue } from "@/lib/client/hooks/use-debounced-value";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { useGitLabProjects } from "@/lib/client/queries/use-gitlab-projects";

/**
 * The choices of a "GitLab project" select: the integration's linked project first, then the
 * projects the token sees matching `searchText` (searched in GitLab).
 */
export function useGitLabProjectOptions(
  projectId: number,
  integration: GitLabIntegrationConfig,
  searchText: string,
) {
  const search = useDebouncedValue(searchText.trim(), 300);
  const projects = useGitLabProjects(projectId, { search: search || undefined, page_size: 100 });
  const results = projects.data?.results ?? [];
  const options: SelectOption[] = [
    ...(integration.gitlab_project_id !== null
      ? [
          {
            value: String(integration.gitlab_project_id),
            label: `${integration.project_name ?? integration.gitlab_project_id} (linked project)`,
          },
        ]
      : []),
    ...results
      .filter((project) => project.id !== integration.gitlab_project_id)
      .map((project) => ({ value: String(project.id), label: project.path_with_namespace })),
  ];
  /** The project's path, when it is the linked one or among the results. */
  const pathOf = (id: number | null): string =>
    id === null
      ? ""
      : id === integration.gitlab_project_id
        ? (integration.project_name ?? "")
        : (results.find((project) => project.id === id)?.path_with_namespace ?? "");
  return { options, pathOf, firstId: results[0]?.id ?? null };
}
