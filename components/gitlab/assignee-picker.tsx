"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { cx } from "@/components/ui/cx";
import { ErrorState } from "@/components/ui/error-state";
import { SearchField } from "@/components/ui/search-field";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { useDebouncedValue } from "@/lib/client/hooks/use-debounced-value";
import type { GitLabUserSummary } from "@/lib/client/queries/gitlab-types";
import { useGitLabMembers } from "@/lib/client/queries/use-gitlab-members";

// Who the cleanup issue goes to: members of the target GitLab project (inherited ones included),
// searched in GitLab; only members can be chosen, so GitLab never drops an assignee silently.

interface AssigneePickerProps {
  projectId: number;
  gitlabProjectId: number | null;
  selected: GitLabUserSummary[];
  onChange: (assignees: GitLabUserSummary[]) => void;
}

export function AssigneePicker({ projectId, gitlabProjectId, selected, onChange }: AssigneePickerProps) {
  const [text, setText] = useState("");
  const search = useDebouncedValue(text.trim(), 300);
  const members = useGitLabMembers(
    projectId,
    { gitlab_project_id: gitlabProjectId ?? undefined, search: search || undefined },
    { enabled: gitlabProjectId !== null },
  );
  const isSelected = (id: number) => selected.some((user) => user.id === id);
  const toggle = (user: GitLabUserSummary) =>
    onChange(isSelected(user.id) ? selected.filter((other) => other.id !== user.id) : [...selected, user]);

  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Assignees</legend>
      {selected.length > 0 && (
        <ul className="flex flex-wrap gap-1.5" aria-label="Chosen assignees">
          {selected.map((user) => (
            <li key={user.id}>
              <span className="inline-flex items-center gap-1 rounded-full bg-accent-50 py-0.5 pr-1 pl-2.5 text-xs font-medium text-accent-800 dark:bg-accent-950 dark:text-accent-200">
                {user.name} (@{user.username})
                <Button
                  variant="ghost"
                  size="sm"
                  className="h-5 px-1"
                  onClick={() => toggle(user)}
                  aria-label={`Remove assignee ${user.username}`}
                >
                  ×
                </Button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <SearchField
        label="Search project members"
        placeholder="Search members by name or username"
        value={text}
        onChange={setText}
      />
      {gitlabProjectId === null ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Choose a GitLab project first.</p>
      ) : members.isPending ? (
        <BlockSkeleton lines={3} label="Loading project members…" />
      ) : members.isError ? (
        <ErrorState
          title="Could not load the project's members"
          error={members.error}
          onRetry={() => void members.refetch()}
        />
      ) : members.data.results.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {search
            ? `No member matches “${search}”.`
            : "This GitLab project has no members the token can see."}
        </p>
      ) : (
        <div
          className={cx(
            "max-h-40 space-y-1.5 overflow-y-auto rounded-md border border-zinc-200 p-2 dark:border-zinc-800",
            members.isPlaceholderData && "opacity-60",
          )}
        >
          {members.data.results.map((member) => (
            <Checkbox
              key={member.id}
              label={`${member.name} (@${member.username})`}
              checked={isSelected(member.id)}
              onChange={() => toggle(member)}
            />
          ))}
        </div>
      )}
    </fieldset>
  );
}
