"use client";

import { readableTextColor } from "@/lib/client/format/color";
import { Switch } from "@/components/ui/switch";
import { FLAGPOST_GITLAB_LABEL, GITLAB_SYSTEM_TAGS, GITLAB_TAG_COLOR } from "@/lib/gitlab/links/system-tags";

/** The tagging switch, with what turning it on does on both sides. */
export function TaggingSettings({
  enabled,
  onChange,
  pending,
}: {
  enabled: boolean;
  onChange: (enabled: boolean) => void;
  pending?: boolean;
}) {
  return (
    <div className="max-w-2xl space-y-3">
      <Switch
        checked={enabled}
        onCheckedChange={onChange}
        label="Tag features with the state of their linked issues and merge requests"
        showLabel
        disabled={pending}
      />
      <div className="space-y-2 text-sm text-zinc-600 dark:text-zinc-400">
        <p>When it is on, Flagpost keeps these tags on each feature up to date from GitLab:</p>
        <ul className="flex flex-wrap gap-1.5" aria-label="GitLab tags">
          {GITLAB_SYSTEM_TAGS.map((tag) => (
            <li
              key={tag.key}
              title={tag.description}
              className="rounded-full px-2 py-0.5 text-xs font-medium"
              style={{ backgroundColor: GITLAB_TAG_COLOR, color: readableTextColor(GITLAB_TAG_COLOR) }}
            >
              {tag.label}
            </li>
          ))}
        </ul>
        <p>
          and adds the label <strong>{FLAGPOST_GITLAB_LABEL.name}</strong> to every GitLab issue and merge
          request linked to a feature, so your team sees the link from GitLab too.
        </p>
      </div>
    </div>
  );
}
