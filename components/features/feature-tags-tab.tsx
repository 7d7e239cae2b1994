"use client";

import type { FeatureTabContext } from "@/components/features/feature-tabs";
import { TagChip } from "@/components/features/tag-chip";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { ErrorState } from "@/components/ui/error-state";
import { FormError } from "@/components/ui/form-error";
import { Section } from "@/components/ui/page-header";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { TextField } from "@/components/ui/text-field";
import { toast } from "sonner";
import { fieldProps, submitRequest, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import { errorMessage } from "@/lib/client/queries/api-client";
import { useCreateTag } from "@/lib/client/queries/use-create-tag";
import { useTags } from "@/lib/client/queries/use-tags";
import { useUpdateFeature } from "@/lib/client/queries/use-update-feature";
import { createTagBody } from "@/lib/validations/core";

const DEFAULT_TAG_COLOUR = "#6837fc";

function CreateTagForm({
  onCreated,
  projectId,
}: {
  projectId: number;
  onCreated: (tagId: number, label: string) => void;
}) {
  const createTag = useCreateTag(projectId);
  const form = useSchemaForm(createTagBody, { label: "", color: DEFAULT_TAG_COLOUR });
  const { errors } = form.formState;

  return (
    <form
      noValidate
      className="flex flex-wrap items-start gap-3"
      aria-label="Create tag"
      onSubmit={submitRequest(form, createTag.mutateAsync, (tag, data) => {
        form.reset({ label: "", color: data.color });
        onCreated(tag.id, tag.label);
      })}
    >
      <TextField label="New tag" {...fieldProps(form, "label")} className="w-56" />
      <TextField
        label="Colour"
        type="color"
        {...fieldProps(form, "color")}
        className="w-20 [&_input]:h-9 [&_input]:p-1"
      />
      <Button type="submit" className="mt-6.5" pending={form.formState.isSubmitting}>
        Create and add tag
      </Button>
      <div className="basis-full">
        <FormError message={errors.root?.server?.message} />
      </div>
    </form>
  );
}

export function FeatureTagsTab({ context }: { context: FeatureTabContext }) {
  const { feature, permissions } = context;
  const tags = useTags(feature.project);
  const updateFeature = useUpdateFeature(feature.project, feature.id);
  const canEdit = permissions.canEdit;

  const userTags = (tags.data ?? []).filter((tag) => !tag.is_system_tag);
  const systemTags = (tags.data ?? []).filter((tag) => tag.is_system_tag && feature.tags.includes(tag.id));
  // `tags` replaces the feature's non-system tags; system tags are kept by the server. While a
  // change is being saved, the boxes already show it (and snap back if it fails).
  const savedUserTagIds = userTags.filter((tag) => feature.tags.includes(tag.id)).map((tag) => tag.id);
  const assignedUserTagIds =
    (updateFeature.isPending ? updateFeature.variables?.tags : undefined) ?? savedUserTagIds;

  const setUserTags = (ids: number[], message: string) =>
    updateFeature.mutate(
      { tags: ids },
      {
        onSuccess: () => toast.success(message),
        onError: (error) => toast.error(`Could not change tags: ${errorMessage(error)}`),
      },
    );

  if (tags.isPending) return <BlockSkeleton lines={4} label="Loading tags…" />;
  if (tags.isError)
    return <ErrorState title="Could not load tags" error={tags.error} onRetry={() => void tags.refetch()} />;

  return (
    <div className="space-y-10">
      <Section title="Tags" description="Tags group features and filter the feature list.">
        {userTags.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            This project has no tags yet{canEdit ? "; create the first one below." : "."}
          </p>
        ) : (
          <fieldset disabled={!canEdit || updateFeature.isPending} className="flex flex-wrap gap-x-6 gap-y-3">
            <legend className="sr-only">Tags of {feature.name}</legend>
            {userTags.map((tag) => {
              const assigned = assignedUserTagIds.includes(tag.id);
              return (
                <Checkbox
                  key={tag.id}
                  label={<TagChip tag={tag} />}
                  aria-label={`Tag ${tag.label}`}
                  checked={assigned}
                  onChange={() =>
                    setUserTags(
                      assigned
                        ? assignedUserTagIds.filter((id) => id !== tag.id)
                        : [...assignedUserTagIds, tag.id],
                      assigned ? `Removed tag ${tag.label}` : `Added tag ${tag.label}`,
                    )
                  }
                />
              );
            })}
          </fieldset>
        )}
        {canEdit && (
          <CreateTagForm
            projectId={feature.project}
            onCreated={(tagId, label) =>
              setUserTags([...assignedUserTagIds, tagId], `Created and added tag ${label}`)
            }
          />
        )}
      </Section>

      {systemTags.length > 0 && (
        <Section
          title="System tags"
          description="Set by Flagpost and its integrations; they cannot be changed here."
        >
          <ul className="flex flex-wrap gap-2">
            {systemTags.map((tag) => (
              <li key={tag.id}>
                <TagChip tag={tag} />
              </li>
            ))}
          </ul>
        </Section>
      )}
    </div>
  );
}
