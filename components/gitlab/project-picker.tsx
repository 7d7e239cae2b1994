"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { ErrorState } from "@/components/ui/error-state";
import { FormError } from "@/components/ui/form-error";
import { SearchField } from "@/components/ui/search-field";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { useDebouncedValue } from "@/lib/client/hooks/use-debounced-value";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { GitLabProjectOption } from "@/lib/client/queries/gitlab-types";
import { useGitLabProjects } from "@/lib/client/queries/use-gitlab-projects";

const PAGE_SIZE = 20;

interface ProjectPickerProps {
  projectId: number;
  /** The GitLab project linked now, pre-selected. */
  currentId: number | null;
  onLink: (project: GitLabProjectOption) => Promise<unknown>;
  linkLabel?: string;
  onCancel?: () => void;
}

/** A searchable, paged list of the GitLab projects the token is a member of; search runs in GitLab. */
export function ProjectPicker({ projectId, currentId, onLink, linkLabel = "Link project", onCancel }: ProjectPickerProps) {
  const [text, setText] = useState("");
  const search = useDebouncedValue(text.trim(), 300);
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<GitLabProjectOption | null>(null);
  const [pending, setPending] = useState(false);
  const [linkError, setLinkError] = useState<string | null>(null);
  const projects = useGitLabProjects(projectId, { search: search || undefined, page, page_size: PAGE_SIZE });
  const selectedId = selected?.id ?? currentId;

  const link = async () => {
    if (!selected) return;
    setPending(true);
    setLinkError(null);
    try {
      await onLink(selected);
    } catch (error) {
      setLinkError(errorMessage(error));
    } finally {
      setPending(false);
    }
  };

  const data = projects.data;
  return (
    <div className="max-w-2xl space-y-3">
      <SearchField
        label="Search GitLab projects"
        placeholder="Search by name or path, e.g. group/project"
        value={text}
        onChange={(value) => {
          setText(value);
          setPage(1);
        }}
      />
      {projects.isPending ? (
        <BlockSkeleton lines={5} label="Loading GitLab projects…" />
      ) : projects.isError ? (
        <ErrorState title="Could not load GitLab projects" error={projects.error} onRetry={() => void projects.refetch()} />
      ) : projects.data.results.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 px-4 py-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {search ? `No GitLab project the token can see matches “${search}”.` : "The token is not a member of any GitLab project."}
        </p>
      ) : (
        <fieldset className={cx("space-y-1", projects.isFetching && "opacity-60")} aria-busy={projects.isFetching}>
          <legend className="sr-only">GitLab project</legend>
          {projects.data.results.map((project) => (
            <label
              key={project.id}
              className={cx(
                "flex cursor-pointer items-center gap-3 rounded-md border px-3 py-2 text-sm",
                project.id === selectedId
                  ? "border-accent-500 bg-accent-50 dark:border-accent-500 dark:bg-accent-950/40"
                  : "border-zinc-200 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/50",
              )}
            >
              <input
                type="radio"
                name="gitlab-project"
                value={project.id}
                checked={project.id === selectedId}
                onChange={() => setSelected(project)}
                className="accent-accent-600"
                aria-label={project.path_with_namespace}
              />
              <span className="min-w-0">
                <span className="block truncate font-medium">{project.path_with_namespace}</span>
                <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">{project.name}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {data && (data.previous_page || data.next_page) && (
        <nav aria-label="GitLab project pages" className="flex items-center justify-between gap-3 text-sm text-zinc-600 dark:text-zinc-400">
          <Button size="sm" onClick={() => setPage(data.previous_page ?? 1)} disabled={!data.previous_page} aria-label="Previous page of GitLab projects">
            ← Previous
          </Button>
          <span aria-live="polite">
            Page {page}
            {data.total_pages ? ` of ${data.total_pages}` : ""}
          </span>
          <Button size="sm" onClick={() => setPage(data.next_page ?? page)} disabled={!data.next_page} aria-label="Next page of GitLab projects">
            Next →
          </Button>
        </nav>
      )}
      <FormError message={linkError} />
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" onClick={() => void link()} disabled={!selected || selected.id === currentId} pending={pending}>
          {selected ? `${linkLabel}: ${selected.path_with_namespace}` : linkLabel}
        </Button>
        {onCancel && (
          <Button onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
        )}
      </div>
    </div>
  );
}
