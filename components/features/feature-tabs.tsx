import type { ReactNode } from "react";
import { FeatureHistoryTab } from "@/components/features/feature-history-tab";
import { FeatureLinksTab } from "@/components/features/feature-links-tab";
import { FeatureTagsTab } from "@/components/features/feature-tags-tab";
import { FeatureValueTab } from "@/components/features/feature-value-tab";
import { SegmentOverridesTab } from "@/components/features/segment-overrides-tab";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import type { ProjectPermissions } from "@/lib/client/queries/use-permissions";
import type { Environment, Feature } from "@/lib/client/queries/types";

// The tabs of the feature page, in display order. Each is reachable as `?tab=<id>`; the first
// visible one is the default. A tab can hide itself with `isVisible` (e.g. only when an
// integration is set up); extra data such a check needs belongs in FeatureTabContext.

export interface FeatureTabContext {
  projectId: number;
  feature: Feature;
  environment: Environment;
  permissions: ProjectPermissions;
  /** The project's live GitLab integration, or null. */
  gitlabIntegration: GitLabIntegrationConfig | null;
  /** Opens "Create cleanup issue" (editors of a project with a GitLab integration). */
  openCleanupIssueDialog?: () => void;
}

export interface FeatureTab {
  id: string;
  label: string;
  isVisible?: (context: FeatureTabContext) => boolean;
  render: (context: FeatureTabContext) => ReactNode;
}

const featureTabs: FeatureTab[] = [
  { id: "value", label: "Value", render: (context) => <FeatureValueTab context={context} /> },
  {
    id: "segment-overrides",
    label: "Segment overrides",
    render: (context) => <SegmentOverridesTab context={context} />,
  },
  { id: "tags", label: "Tags", render: (context) => <FeatureTagsTab context={context} /> },
  { id: "history", label: "History", render: (context) => <FeatureHistoryTab context={context} /> },
  {
    id: "links",
    label: "Links",
    isVisible: (context) => context.gitlabIntegration !== null,
    render: (context) => <FeatureLinksTab context={context} />,
  },
];

export function visibleFeatureTabs(context: FeatureTabContext): FeatureTab[] {
  return featureTabs.filter((tab) => tab.isVisible?.(context) ?? true);
}
