"use client";

import {
  Combobox,
  ComboboxButton,
  ComboboxInput,
  ComboboxOption,
  ComboboxOptions,
  Label,
} from "@headlessui/react";
import { Check, ChevronsUpDown } from "lucide-react";
import { useState } from "react";
import { Button, focusRing } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { FormError } from "@/components/ui/form-error";
import { controlClasses } from "@/components/ui/text-field";
import { useDebouncedValue } from "@/lib/client/hooks/use-debounced-value";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { GitLabProjectOption } from "@/lib/client/queries/gitlab-types";
import { useGitLabProjects } from "@/lib/client/queries/use-gitlab-projects";

const PAGE_SIZE = 20;

interface ProjectPickerProps {
  projectId: number;
  /** The GitLab project linked now. */
  currentId: number | null;
  onLink: (project: GitLabProjectOption) => Promise<unknown>;
  linkLabel?: string;
  onCancel?: () => void;
}

const note = "px-3 py-2 text-sm text-zinc-600 dark:text-zinc-400";

/** A combobox over the GitLab projects the token is a member of; typing searches in GitLab. */
export function ProjectPicker({
  projectId,
  currentId,
  onLink,
  linkLabel = "Link project",
  onCancel,
}: ProjectPickerProps) {
  const [text, setText] = useState("");
  const search = useDebouncedValue(text.trim(), 300);
  const [selected, setSelected] = useState<GitLabProjectOption | null>(null);
  const [pending, setPending] = useState(false);
  const [linkError, setLinkError] = useState<string | null>(null);
  const projects = useGitLabProjects(projectId, { search: search || undefined, page_size: PAGE_SIZE });
  const results = projects.data?.results ?? [];
  const more = projects.data?.next_page != null;

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

  return (
    <div className="max-w-2xl space-y-3">
      <Combobox value={selected} onChange={setSelected} by="id" immediate onClose={() => setText("")}>
        <div className="space-y-1.5">
          <Label className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">GitLab project</Label>
          <div className="relative">
            <ComboboxInput
              className={cx(controlClasses, "pr-9")}
              placeholder="Search by name or path, e.g. group/project"
              displayValue={(project: GitLabProjectOption | null) => project?.path_with_namespace ?? ""}
              onChange={(event) => setText(event.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
            <ComboboxButton
              aria-label="Show GitLab projects"
              className={cx(
                "absolute inset-y-0 right-0 flex items-center rounded-r-md px-2 text-zinc-500",
                focusRing,
              )}
            >
              <ChevronsUpDown aria-hidden="true" className="size-4" />
            </ComboboxButton>
          </div>
        </div>
        <ComboboxOptions
          anchor={{ to: "bottom start", gap: 4 }}
          aria-busy={projects.isFetching}
          className="z-50 max-h-80 w-(--input-width) overflow-y-auto rounded-md border border-zinc-200 bg-white py-1 shadow-lg empty:invisible dark:border-zinc-700 dark:bg-zinc-900"
        >
          {projects.isPending && <p className={note}>Loading GitLab projects…</p>}
          {projects.isError && (
            <p className={cx(note, "text-red-700 dark:text-red-400")}>
              Could not load GitLab projects: {errorMessage(projects.error)}
            </p>
          )}
          {projects.isSuccess && results.length === 0 && (
            <p className={note}>
              {search
                ? `No GitLab project the token can see matches “${search}”.`
                : "The token is not a member of any GitLab project."}
            </p>
          )}
          {results.map((project) => (
            <ComboboxOption
              key={project.id}
              value={project}
              aria-label={project.path_with_namespace}
              className="group flex cursor-pointer items-center gap-2 px-3 py-2 text-sm data-focus:bg-accent-50 dark:data-focus:bg-accent-950/40"
            >
              <Check
                aria-hidden="true"
                className="invisible size-4 shrink-0 text-accent-600 group-data-selected:visible"
              />
              <span className="min-w-0">
                <span className="block truncate font-medium">{project.path_with_namespace}</span>
                <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">
                  {project.name}
                  {project.id === currentId && " · linked now"}
                </span>
              </span>
            </ComboboxOption>
          ))}
          {more && <p className={note}>More projects: type to search them.</p>}
        </ComboboxOptions>
      </Combobox>
      <FormError message={linkError} />
      <div className="flex flex-wrap gap-2">
        <Button
          variant="primary"
          // Long project paths wrap on phones instead of widening the page.
          className="h-auto! min-h-9 py-1.5 text-left whitespace-normal! [overflow-wrap:anywhere]"
          onClick={() => void link()}
          disabled={!selected || selected.id === currentId}
          pending={pending}
        >
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
