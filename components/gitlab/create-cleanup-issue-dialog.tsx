"use client";

import { useEffect, useState } from "react";
import { toast } from "sonner";
import { z } from "zod";
import { AssigneePicker } from "@/components/gitlab/assignee-picker";
import { GitLabProjectFields } from "@/components/gitlab/gitlab-project-fields";
import { MarkdownPreview } from "@/components/gitlab/markdown-preview";
import { useGitLabProjectOptions } from "@/components/gitlab/use-gitlab-project-options";
import { cx } from "@/components/ui/cx";
import { ErrorState } from "@/components/ui/error-state";
import { FormDialog } from "@/components/ui/form-dialog";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { TextField } from "@/components/ui/text-field";
import { serverErrors } from "@/lib/client/forms/field-errors";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import { isApiClientError } from "@/lib/client/queries/api-client";
import type {
  CleanupIssuePreview,
  FeatureLink,
  GitLabIntegrationConfig,
  GitLabUserSummary,
} from "@/lib/client/queries/gitlab-types";
import { useCleanupIssuePreview } from "@/lib/client/queries/use-cleanup-issue-preview";
import { useCreateCleanupIssue } from "@/lib/client/queries/use-create-cleanup-issue";
import { createCleanupIssueBody } from "@/lib/validations/gitlab";
import { neutraliseQuickActions } from "@/lib/vcs/markdown";

// "Create cleanup issue": a GitLab issue asking for the flag's removal, offered for stale flags
// (the Stale banner, the stale-flag list). Title and body start from what Flagpost knows (the
// preview endpoint) as plain Markdown people edit; the preview shows it as GitLab will render what
// is sent (quick-action lines escaped). Assignees come from the target project's members. When a
// cleanup issue is already open the dialog says so and asks for "Create anyway".

const cleanupIssueForm = createCleanupIssueBody.extend({
  // Typed as "cleanup, tech-debt".
  labels: z
    .string()
    .transform((text) =>
      text
        .split(",")
        .map((label) => label.trim())
        .filter(Boolean),
    )
    // The API checks each name; the list's size is checked here too.
    .pipe(z.array(z.string()).max(20, "At most 20 labels")),
});

interface CreateCleanupIssueDialogProps {
  open: boolean;
  onClose: () => void;
  projectId: number;
  feature: { id: number; name: string };
  integration: GitLabIntegrationConfig;
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

export function CreateCleanupIssueDialog({
  open,
  onClose,
  projectId,
  feature,
  integration,
}: CreateCleanupIssueDialogProps) {
  const preview = useCleanupIssuePreview(projectId, feature.id, { enabled: open });
  const create = useCreateCleanupIssue(projectId);
  const form = useSchemaForm(cleanupIssueForm, {
    feature_id: feature.id,
    title: "",
    description: "",
    labels: "",
    assignee_ids: [],
    confirm_duplicate: false,
  });
  // An open cleanup issue the server reported when creating (someone was quicker than the preview).
  const [conflict, setConflict] = useState<FeatureLink | null>(null);
  const [assignees, setAssignees] = useState<GitLabUserSummary[]>([]);
  const [showPreview, setShowPreview] = useState(false);
  const [projectText, setProjectText] = useState("");
  const projectChoices = useGitLabProjectOptions(projectId, integration, projectText);

  // Start from the flag as it is now, each time the dialog opens.
  const loaded: CleanupIssuePreview | undefined = preview.data;
  const openIssue = conflict ?? loaded?.open_cleanup_issue ?? null;
  const close = () => {
    setConflict(null);
    setAssignees([]);
    setShowPreview(false);
    onClose();
  };
  useEffect(() => {
    if (!open || !loaded) return;
    form.reset({
      feature_id: feature.id,
      gitlab_project_id: loaded.gitlab_project_id ?? undefined,
      title: loaded.title,
      description: loaded.description,
      labels: "",
      assignee_ids: [],
      confirm_duplicate: loaded.open_cleanup_issue !== null,
    });
  }, [open, loaded, feature.id, form]);

  const gitlabProjectId = form.watch("gitlab_project_id") ?? null;
  const description = form.watch("description") ?? "";

  return (
    <FormDialog
      form={form}
      open={open}
      onClose={close}
      title="Create cleanup issue"
      description={`Ask in GitLab for the flag ${feature.name} to be removed from the code.`}
      size="lg"
      submitLabel={openIssue ? "Create anyway" : "Create issue"}
      onSubmit={create.mutateAsync}
      onSaved={(created) => {
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
      }}
      mapError={(error, fields) => {
        const details = isApiClientError(error, 409)
          ? (error.details as { open_cleanup_issue?: FeatureLink } | undefined)
          : undefined;
        if (!details?.open_cleanup_issue) return serverErrors(error, fields);
        // Someone opened one meanwhile: show it and let the person decide.
        setConflict(details.open_cleanup_issue);
        form.setValue("confirm_duplicate", true);
        return { fields: {}, form: undefined };
      }}
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
        <div className="space-y-4">
          {openIssue && <OpenIssueWarning issue={openIssue} />}
          <div className="flex flex-wrap items-end gap-3">
            <GitLabProjectFields
              options={projectChoices.options}
              value={gitlabProjectId}
              onChange={(id) => {
                form.setValue("gitlab_project_id", id ?? undefined);
                setAssignees([]);
                form.setValue("assignee_ids", []);
              }}
              searchText={projectText}
              onSearchTextChange={setProjectText}
            />
          </div>
          <TextField label="Title" maxLength={255} required {...fieldProps(form, "title")} />

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
              // What GitLab receives: the text as written, quick-action lines escaped.
              <MarkdownPreview markdown={neutraliseQuickActions(description)} label="Description preview" />
            ) : (
              <TextField
                label="Description"
                hideLabel
                multiline
                rows={12}
                hint="GitLab Markdown, sent as written. Lines starting with / are escaped when sent, so they never run as quick actions."
                spellCheck={false}
                className="font-mono"
                {...fieldProps(form, "description")}
              />
            )}
          </div>

          <AssigneePicker
            projectId={projectId}
            gitlabProjectId={gitlabProjectId}
            selected={assignees}
            onChange={(users) => {
              setAssignees(users);
              form.setValue(
                "assignee_ids",
                users.map((user) => user.id),
              );
            }}
          />
          <TextField
            label="Labels"
            placeholder="cleanup, tech-debt"
            hint="Comma-separated; GitLab creates labels that do not exist yet."
            autoComplete="off"
            {...fieldProps(form, "labels")}
          />
        </div>
      )}
    </FormDialog>
  );
}
