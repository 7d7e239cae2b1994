"use client";

import { ShieldCheck } from "lucide-react";
import { toast } from "sonner";
import { Switch } from "@/components/ui/switch";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { Environment } from "@/lib/client/queries/types";
import { useUpdateEnvironment } from "@/lib/client/queries/use-update-environment";

// An environment's "protected" setting: turning a flag on or off there asks for confirmation first
// (FeatureStateSwitch). Administrators change it; everyone else sees whether it is on.

export function ProtectedSwitch({
  projectId,
  environment,
  canAdmin,
}: {
  projectId: number;
  environment: Environment;
  canAdmin: boolean;
}) {
  const update = useUpdateEnvironment(projectId);
  if (!canAdmin)
    return environment.protected ? (
      <span className="inline-flex items-center gap-1 text-sm text-zinc-700 dark:text-zinc-300">
        <ShieldCheck aria-hidden="true" className="size-4" /> Protected
      </span>
    ) : (
      <span className="text-sm text-zinc-500">Not protected</span>
    );
  const checked = (update.isPending ? update.variables?.protected : undefined) ?? environment.protected;
  return (
    <Switch
      size="sm"
      label={`${environment.name} is protected`}
      checked={checked}
      disabled={update.isPending}
      onCheckedChange={(next) =>
        update.mutate(
          { apiKey: environment.api_key, protected: next },
          {
            onSuccess: () =>
              toast.success(
                next
                  ? `${environment.name} is protected: flag changes there ask for confirmation`
                  : `${environment.name} is no longer protected`,
              ),
            onError: (error) => toast.error(`Could not change ${environment.name}: ${errorMessage(error)}`),
          },
        )
      }
    />
  );
}
