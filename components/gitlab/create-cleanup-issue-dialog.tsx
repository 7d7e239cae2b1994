"use client";

import { useState } from "react";
import { AssigneePicker } from "@/components/gitlab/assignee-picker";
import { MarkdownPreview } from "@/components/gitlab/markdown-preview";
import { GitLabProjectFields } from "@/components/gitlab/gitlab-project-fields";
import { useGitLabProjectOptions } from "@/components/gitlab/use-gitlab-project-options";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Dialog } from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { FormError } from "@/components/ui/form-error";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { TextField } from "@/components/ui/text-field";
import { toast } from "sonner";
import { errorMessage, isApiClientError } from "@/lib/client/queries/api-client";
import type {
  CleanupIssuePreview,
  FeatureLink,
  GitLabIntegrationConfig,
  GitLabUserSummary,
} from "@/lib/client/queries/gitlab-types";
import { useCleanupIssuePreview } from "@/lib/client/queries/use-cleanup-issue-preview";
import { useCreateCleanupIssue } from "@/lib/client/queries/use-create-cleanup-issue";

// "Create cleanup issue": a GitLab issue asking for the flag's removal. Title and body start from
// what Flagpost knows (the preview endpoint) and stay editable, with a preview of the Markdown as
// GitLab will render it; assignees come from the target project's members. When a cleanup issue
// is already open the dialog says so and asks for "Create anyway".

interface CreateCleanupIssueDialogProps {
  open: boolean;
  onClose: () => void;
  projectId: number;
  feature: { id: number; name: string };
  integration: GitLabIntegrationConfig;
}

export function CreateCleanupIssueDialog({
  open,
  onClose,
  projectId,
  feature,
  integration,
}: CreateCleanupIssueDialogProps) {
  const preview = useCleanupIssuePreview(projectId, feature.id, { enabled: open });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create cleanup issue"
      description={`Ask in GitLab for the flag ${feature.name} to be removed from the code.`}
      size="lg"
    >
      {preview.isPending ? (
        <BlockSkeleton lines={8} label="Writing the issue from what Flagpost knows…" />
      ) : preview.isError ? (
        <ErrorState
          title="Could not prepare the cleanup issue"
          error={preview.error}
          onRetry={() => void preview.refetch()}
        />
      ) : (
        // Keyed on the preview so reopening starts again from the flag as it is now.
        <CleanupIssueForm
          key={preview.dataUpdatedAt}
          projectId={projectId}
          feature={feature}
          integration={integration}
          preview={preview.data}
          onDone={onClose}
        />
      )}
    </Dialog>
  );
}

function OpenIssueWarning({ issue }: { issue: FeatureLink }) {
  return (
    <div
      role="alert"
      className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100"
    >
      A cleanup issue is already open for this flag:{" "}
      <a href={issue.url} target="_blank" rel="noreferrer noopener" className="font-medium underline">
        {issue.metadata.project_path}
        {issue.metadata.reference} {issue.metadata.title}
      </a>
      . Create another one only if that one is not the right place.
    </div>
  );
}

interface CleanupIssueFormProps {
  projectId: number;
  feature: { id: number; name: string };
  integration: GitLabIntegrationConfig;
  preview: CleanupIssuePreview;
  onDone: () => void;
}

function CleanupIssueForm({ projectId, feature, integration, preview, onDone }: CleanupIssueFormProps) {
  const create = useCreateCleanupIssue(projectId);
  const [title, setTitle] = useState(preview.title);
  const [description, setDescription] = useState(preview.description);
  const [showPreview, setShowPreview] = useState(false);
  const [projectText, setProjectText] = useState("");
  const projectChoices = useGitLabProjectOptions(projectId, integration, projectText);
  const [chosenProjectId, setChosenProjectId] = useState<number | null>(null);
  const gitlabProjectId = chosenProjectId ?? preview.gitlab_project_id;
  const [assignees, setAssignees] = useState<GitLabUserSummary[]>([]);
  const [labels, setLabels] = useState("");
  const [openIssue, setOpenIssue] = useState<FeatureLink | null>(preview.open_cleanup_issue);
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    setError(null);
    if (gitlabProjectId === null) return setError("Choose the GitLab project to create the issue in.");
    if (!title.trim()) return setError("The issue needs a title.");
    create.mutate(
      {
        feature_id: feature.id,
        gitlab_project_id: gitlabProjectId,
        title: title.trim(),
        description,
        assignee_ids: assignees.map((user) => user.id),
        labels: labels
          .split(",")
          .map((label) => label.trim())
          .filter(Boolean),
        confirm_duplicate: openIssue !== null,
      },
      {
        onSuccess: (created) => {
          if (created.link_pending) toast.info(created.message);
          else
            toast.success(created.message, {
              description: (
                <a
                  href={created.issue.web_url}
                  target="_blank"
                  rel="noreferrer noopener"
                  className="font-medium underline"
                >
                  Open {created.issue.full_reference} in GitLab
                  <span className="sr-only"> (opens in a new tab)</span>
                </a>
              ),
            });
          onDone();
        },
        onError: (caught) => {
          const details = isApiClientError(caught, 409)
            ? (caught.details as { open_cleanup_issue?: FeatureLink } | undefined)
            : undefined;
          if (details?.open_cleanup_issue) setOpenIssue(details.open_cleanup_issue);
          else setError(errorMessage(caught));
        },
      },
    );
  };

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {openIssue && <OpenIssueWarning issue={openIssue} />}
      <div className="flex flex-wrap items-end gap-3">
        <GitLabProjectFields
          options={projectChoices.options}
          value={gitlabProjectId}
          onChange={(id) => {
            setChosenProjectId(id);
            setAssignees([]);
          }}
          searchText={projectText}
          onSearchTextChange={setProjectText}
        />
      </div>
      <TextField
        label="Title"
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        maxLength={255}
        required
      />

      <div className="space-y-1.5">
        <div className="flex items-center justify-between gap-3">
          <span className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Description</span>
          <div
            className="inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700"
            role="group"
            aria-label="Description view"
          >
            {[
              { preview: false, label: "Write" },
              { preview: true, label: "Preview" },
            ].map((option) => (
              <button
                key={option.label}
                type="button"
                aria-pressed={showPreview === option.preview}
                onClick={() => setShowPreview(option.preview)}
                className={cx(
                  "rounded px-3 py-1 text-xs font-medium",
                  showPreview === option.preview
                    ? "bg-accent-600 text-white"
                    : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
                )}
              >
                {option.label}
              </button>
            ))}
          </div>
        </div>
        {showPreview ? (
          <MarkdownPreview markdown={description} label="Description preview" />
        ) : (
          <TextField
            label="Description"
            hideLabel
            multiline
            rows={12}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            hint="GitLab Markdown. Lines starting with / are sent escaped, so they never run as quick actions."
            spellCheck={false}
            className="font-mono"
          />
        )}
      </div>

      <AssigneePicker
        projectId={projectId}
        gitlabProjectId={gitlabProjectId}
        selected={assignees}
        onChange={setAssignees}
      />
      <TextField
        label="Labels"
        value={labels}
        onChange={(event) => setLabels(event.target.value)}
        placeholder="cleanup, tech-debt"
        hint="Comma-separated; GitLab creates labels that do not exist yet."
        autoComplete="off"
      />

      <FormError message={error} />
      <div className="flex flex-wrap justify-end gap-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
        <Button onClick={onDone} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" pending={create.isPending}>
          {openIssue ? "Create anyway" : "Create issue"}
        </Button>
      </div>
    </form>
  );
}
