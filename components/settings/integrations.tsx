import type { ReactNode } from "react";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { routes } from "@/lib/client/routes";

// Integrations offered on a project's Integrations page, one card each. `isConfigured` turns the
// card's button from "Add integration" into "Manage integration"; the data it needs goes into
// IntegrationContext (e.g. the project's GitLab connection once that API exists).

export interface IntegrationContext {
  projectId: number;
  /** The project's GitLab integration (null: none; undefined: still loading). */
  gitlab?: GitLabIntegrationConfig | null;
}

export interface Integration {
  id: string;
  name: string;
  description: string;
  logo: ReactNode;
  href: (context: IntegrationContext) => string;
  isConfigured?: (context: IntegrationContext) => boolean;
}

function GitLabLogo() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className="size-8">
      <path fill="#E24329" d="m12 21.4 3.7-11.3H8.3z" />
      <path fill="#FC6D26" d="M12 21.4 8.3 10.1H3.1z" />
      <path fill="#FCA326" d="m3.1 10.1-1.1 3.4c-.1.3 0 .7.3.9l9.7 7z" />
      <path fill="#E24329" d="M3.1 10.1h5.2L6.1 3.3c-.1-.4-.6-.4-.7 0z" />
      <path fill="#FC6D26" d="m12 21.4 3.7-11.3h5.2z" />
      <path fill="#FCA326" d="m20.9 10.1 1.1 3.4c.1.3 0 .7-.3.9l-9.7 7z" />
      <path fill="#E24329" d="M20.9 10.1h-5.2l2.2-6.8c.1-.4.6-.4.7 0z" />
    </svg>
  );
}

export const integrations: Integration[] = [
  {
    id: "gitlab",
    name: "GitLab",
    description: "View your Flagpost flags inside GitLab issues and merge requests.",
    logo: <GitLabLogo />,
    href: ({ projectId }) => routes.gitlabIntegration(projectId),
    isConfigured: ({ gitlab }) => Boolean(gitlab),
  },
];
