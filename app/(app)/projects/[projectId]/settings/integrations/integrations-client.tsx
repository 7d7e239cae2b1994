"use client";

import { integrations, type IntegrationContext } from "@/components/settings/integrations";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { useGitLabIntegration } from "@/lib/client/queries/use-gitlab-integration";
import { useProjectPermissions } from "@/lib/client/queries/use-permissions";

export function IntegrationsClient({ projectId }: { projectId: number }) {
  const permissions = useProjectPermissions(projectId);
  const gitlab = useGitLabIntegration(projectId);
  const context: IntegrationContext = { projectId, gitlab: gitlab.data };
  return (
    <>
      <PageHeader
        title="Integrations"
        description="Connect this project to the tools your team already uses."
      />
      <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {integrations.map((integration) => {
          const configured = integration.isConfigured?.(context) ?? false;
          return (
            <li
              key={integration.id}
              className="flex flex-col gap-4 rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
            >
              <div className="flex items-center gap-3">
                {integration.logo}
                <h2 className="text-base font-semibold">{integration.name}</h2>
                {configured && <Badge tone="success">Connected</Badge>}
              </div>
              <p className="flex-1 text-sm text-zinc-600 dark:text-zinc-400">{integration.description}</p>
              {permissions.canAdmin ? (
                <ButtonLink
                  href={integration.href(context)}
                  variant={configured ? "secondary" : "primary"}
                  className="self-start"
                >
                  {configured ? "Manage integration" : "Add integration"}
                </ButtonLink>
              ) : (
                <p className="text-xs text-zinc-500 dark:text-zinc-400">
                  Project administrators can set this up.
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
