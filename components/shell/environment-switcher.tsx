"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Select } from "@/components/ui/select";
import { useEnvironments } from "@/lib/client/queries/use-environments";
import { routes } from "@/lib/client/routes";

/**
 * Switches environment while keeping your place: a feature's page stays on that feature (and tab),
 * the feature list keeps its filters; anywhere else opens the environment's features.
 */
export function EnvironmentSwitcher({ projectId, apiKey }: { projectId: number; apiKey: string | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const environments = useEnvironments(projectId);
  const rows = environments.data?.results ?? [];

  if (environments.isSuccess && rows.length === 0) {
    return <p className="text-xs text-zinc-500 dark:text-zinc-400">No environments yet.</p>;
  }

  const known = apiKey !== null && rows.some((environment) => environment.api_key === apiKey);

  return (
    <Select
      label="Environment"
      value={known ? apiKey : ""}
      placeholder={known ? undefined : environments.isPending ? "Loading…" : "Choose an environment"}
      options={rows.map((environment) => ({ value: environment.api_key, label: environment.name }))}
      onChange={(event) => {
        const next = event.target.value;
        if (!next) return;
        const envPrefix = `/projects/${projectId}/environments/`;
        const onEnvironmentPage =
          apiKey !== null && pathname.startsWith(`${envPrefix}${encodeURIComponent(apiKey)}/`);
        if (onEnvironmentPage) {
          const rest = pathname.slice(`${envPrefix}${encodeURIComponent(apiKey)}`.length);
          const params = new URLSearchParams(searchParams.toString());
          params.delete("page");
          const search = params.toString();
          router.push(`${envPrefix}${encodeURIComponent(next)}${rest}${search ? `?${search}` : ""}`);
        } else {
          router.push(routes.features(projectId, next));
        }
      }}
    />
  );
}
