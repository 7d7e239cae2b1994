"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { MoreHorizontal } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Menu } from "@/components/ui/menu";
import { FormError } from "@/components/ui/form-error";
import { Switch } from "@/components/ui/switch";
import { TextField } from "@/components/ui/text-field";
import { toast } from "sonner";
import { fieldProps, submitRequest, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { Environment, Feature } from "@/lib/client/queries/types";
import { useDeleteFeature } from "@/lib/client/queries/use-delete-feature";
import { useUpdateFeature } from "@/lib/client/queries/use-update-feature";
import { routes } from "@/lib/client/routes";
import { updateFeatureBody } from "@/lib/validations/core";

interface FeatureHeaderProps {
  feature: Feature;
  environment: Environment;
  canEdit: boolean;
}

const descriptionForm = updateFeatureBody.pick({ description: true });

/** Edits the description in place; Escape or Cancel leaves it as it was. */
function DescriptionForm({ feature, onDone }: { feature: Feature; onDone: () => void }) {
  const updateFeature = useUpdateFeature(feature.project, feature.id);
  const form = useSchemaForm(descriptionForm, { description: feature.description });
  const { errors } = form.formState;
  return (
    <form
      noValidate
      className="max-w-2xl space-y-2"
      onSubmit={submitRequest(form, updateFeature.mutateAsync, () => {
        toast.success("Description saved");
        onDone();
      })}
    >
      <FormError message={errors.root?.server?.message} />
      <TextField
        label="Description"
        multiline
        rows={3}
        autoFocus
        {...fieldProps(form, "description")}
        onKeyDown={(event) => {
          if (event.key === "Escape") onDone();
        }}
      />
      <div className="flex gap-2">
        <Button type="submit" variant="primary" size="sm" pending={form.formState.isSubmitting}>
          Save description
        </Button>
        <Button size="sm" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/**
 * Name, editable description, "permanent", and the destructive actions in a menu (so on a phone the
 * most prominent button is not "Delete"). "Create cleanup issue" is the Stale banner's.
 */
export function FeatureHeader({ feature, environment, canEdit }: FeatureHeaderProps) {
  const router = useRouter();
  const updateFeature = useUpdateFeature(feature.project, feature.id);
  const deleteFeature = useDeleteFeature(feature.project);
  const [editing, setEditing] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  return (
    <div className="mb-6 space-y-3">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <h1 className="font-mono text-xl font-semibold tracking-tight break-all text-zinc-900 dark:text-zinc-50">
          {feature.name}
        </h1>
        <div className="flex flex-wrap items-center gap-3">
          <span title="Long-lived flags such as kill switches: never listed as stale">
            <Switch
              label="Mark as permanent"
              showLabel
              size="sm"
              checked={
                (updateFeature.isPending ? updateFeature.variables?.is_permanent : undefined) ??
                feature.is_permanent
              }
              disabled={!canEdit || updateFeature.isPending}
              onCheckedChange={(permanent) =>
                updateFeature.mutate(
                  { is_permanent: permanent },
                  {
                    onSuccess: () =>
                      toast.success(
                        permanent
                          ? `${feature.name} is permanent: never listed as stale`
                          : `${feature.name} is no longer permanent`,
                      ),
                    onError: (error) =>
                      toast.error(`Could not change ${feature.name}: ${errorMessage(error)}`),
                  },
                )
              }
            />
          </span>
          {canEdit && (
            <Menu
              align="end"
              className="shrink-0"
              triggerLabel={`More actions for ${feature.name}`}
              trigger={
                <>
                  <MoreHorizontal aria-hidden="true" className="size-4" />
                  <span className="text-sm">More</span>
                </>
              }
              items={[
                {
                  id: "delete",
                  label: "Delete feature…",
                  tone: "danger",
                  onSelect: () => setConfirmingDelete(true),
                },
              ]}
            />
          )}
        </div>
      </div>

      {editing ? (
        <DescriptionForm feature={feature} onDone={() => setEditing(false)} />
      ) : (
        <div className="flex max-w-3xl flex-wrap items-start gap-2">
          <p className="text-sm whitespace-pre-line text-zinc-600 dark:text-zinc-400">
            {feature.description || <span className="italic">No description.</span>}
          </p>
          {canEdit && (
            <Button variant="ghost" size="sm" onClick={() => setEditing(true)}>
              Edit description
            </Button>
          )}
        </div>
      )}

      <ConfirmDialog
        open={confirmingDelete}
        onClose={() => setConfirmingDelete(false)}
        title={`Delete feature ${feature.name}?`}
        confirmLabel="Delete feature"
        onConfirm={async () => {
          await deleteFeature.mutateAsync(feature.id);
          toast.success(`Deleted feature ${feature.name}`);
          router.push(routes.features(feature.project, environment.api_key));
        }}
      >
        <p>
          <strong className="font-mono">{feature.name}</strong> is removed from every environment, together
          with its segment overrides. Applications asking for it will fall back to their own defaults.
        </p>
        <p>Its history stays in the audit log.</p>
      </ConfirmDialog>
    </div>
  );
}
