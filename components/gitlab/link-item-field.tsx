"use client";

import { Combobox, ComboboxInput, ComboboxOption, ComboboxOptions, Label } from "@headlessui/react";
import { Link2, Loader2 } from "lucide-react";
import { useId, useState } from "react";
import { ConfidentialMark, ItemStateBadge, ItemTypeIcon } from "@/components/gitlab/gitlab-item-display";
import { cx } from "@/components/ui/cx";
import { controlClasses } from "@/components/ui/text-field";
import { useDebouncedValue } from "@/lib/client/hooks/use-debounced-value";
import { errorMessage, isApiClientError } from "@/lib/client/queries/api-client";
import type { GitLabIntegrationConfig, GitLabItemOption, LinkType } from "@/lib/client/queries/gitlab-types";
import { useGitLabItems } from "@/lib/client/queries/use-gitlab-items";
import type { LinkItemVariables } from "@/lib/client/queries/use-link-feature-item";
import { parseItemReference, type ItemReference } from "@/lib/gitlab/links/item-reference";

// "Link issue or MR": one field. Typing searches the integration's GitLab project (issues and
// merge requests, by title; `#12` / `!34` by number) and lists the results in a popover; text that
// starts with another project's path (`group/project#12`, `group/project login bug`) searches that
// project too. A pasted URL or reference is offered as it is. A refused link keeps the text and says why under the field.

type Choice =
  | { kind: "item"; type: LinkType; item: GitLabItemOption; projectPath: string | null }
  | { kind: "text"; type: LinkType; text: string };

const RESULTS = 8;
const sigil = (type: LinkType) => (type === "GITLAB_MR" ? "!" : "#");
const typeOf = (reference: ItemReference): LinkType =>
  reference.kind === "merge_request" ? "GITLAB_MR" : "GITLAB_ISSUE";
const itemReference = (choice: Extract<Choice, { kind: "item" }>) =>
  `${choice.projectPath ?? ""}${sigil(choice.type)}${choice.item.iid}`;

// "group/sub/project rest of the search": a typed project path first searches that project too.
const PATH_PREFIX =
  /^(?<path>[A-Za-z0-9_.][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+)(?:\s+(?<rest>.*))?$/;

/** Which other GitLab project the typed text names, and what to search there. */
function otherProjectSearch(text: string, reference: ItemReference | null) {
  if (reference?.projectPath) {
    return {
      path: reference.projectPath,
      text: `#${reference.iid}`,
      issues: reference.kind === "issue",
      mergeRequests: reference.kind === "merge_request",
    };
  }
  if (reference || text.includes("://")) return null;
  const match = PATH_PREFIX.exec(text);
  if (!match?.groups) return null;
  return {
    path: match.groups.path!,
    text: match.groups.rest?.trim() ?? "",
    issues: true,
    mergeRequests: true,
  };
}

function readReference(text: string, instanceUrl: string): ItemReference | null {
  try {
    return parseItemReference(text, instanceUrl);
  } catch {
    return null;
  }
}

interface LinkItemFieldProps {
  projectId: number;
  integration: GitLabIntegrationConfig;
  /** "<gitlab project id>:<type>:<iid>" of the items already linked. */
  linkedKeys: Set<string>;
  /** Resolves once linked; rejects with the API's refusal. */
  onLink: (variables: LinkItemVariables) => Promise<unknown>;
}

export function LinkItemField({ projectId, integration, linkedKeys, onLink }: LinkItemFieldProps) {
  const errorId = useId();
  const [text, setText] = useState("");
  const [refusal, setRefusal] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const trimmed = text.trim();
  const search = useDebouncedValue(trimmed, 250);
  const reference = readReference(search, integration.gitlab_instance_url);
  const gitlabProjectId = integration.gitlab_project_id;
  // A URL or a reference to another project is linked as typed; #12 / !34 are looked up for their title.
  const shortReference = reference && reference.projectPath === null ? reference : null;
  const searchKinds = {
    issues: !reference || shortReference?.kind === "issue",
    mergeRequests: !reference || shortReference?.kind === "merge_request",
  };
  const filters = (kind: LinkType) => ({
    gitlab_project_id: gitlabProjectId ?? undefined,
    search_text: shortReference ? `${sigil(kind)}${shortReference.iid}` : search || undefined,
    state: search ? "all" : "opened",
  });
  const issues = useGitLabItems(projectId, "issues", filters("GITLAB_ISSUE"), {
    enabled: gitlabProjectId !== null && searchKinds.issues,
  });
  const mergeRequests = useGitLabItems(projectId, "merge-requests", filters("GITLAB_MR"), {
    enabled: gitlabProjectId !== null && searchKinds.mergeRequests,
  });
  // Another project named by path: `group/project#12`, or `group/project some words`.
  const other = otherProjectSearch(search, reference);
  const otherFilters = (kind: LinkType) => ({
    gitlab_project_path: other?.path,
    search_text: other?.text
      ? /^\d+$|^#\d+$/.test(other.text)
        ? `${sigil(kind)}${other.text.replace("#", "")}`
        : other.text
      : undefined,
    state: "all",
  });
  const otherIssues = useGitLabItems(projectId, "issues", otherFilters("GITLAB_ISSUE"), {
    enabled: Boolean(other?.issues),
  });
  const otherMergeRequests = useGitLabItems(projectId, "merge-requests", otherFilters("GITLAB_MR"), {
    enabled: Boolean(other?.mergeRequests),
  });

  const found = (
    type: LinkType,
    query: typeof issues,
    wanted: boolean,
    projectPath: string | null,
  ): Choice[] =>
    wanted
      ? (query.data?.pages[0]?.results ?? [])
          .slice(0, RESULTS)
          // An item of the integration's own project reads as #12 / !34, however it was found.
          .map((item) => ({
            kind: "item",
            type,
            item,
            projectPath: item.project_id === gitlabProjectId ? null : projectPath,
          }))
      : [];
  const choices: Choice[] = [
    ...found("GITLAB_ISSUE", otherIssues, Boolean(other?.issues), other?.path ?? null),
    ...found("GITLAB_MR", otherMergeRequests, Boolean(other?.mergeRequests), other?.path ?? null),
    ...found("GITLAB_ISSUE", issues, searchKinds.issues, null),
    ...found("GITLAB_MR", mergeRequests, searchKinds.mergeRequests, null),
  ].filter(
    // The typed path may be the integration's own project: list each item once.
    (choice, index, all) =>
      choice.kind !== "item" ||
      all.findIndex(
        (seen) => seen.kind === "item" && seen.item.id === choice.item.id && seen.type === choice.type,
      ) === index,
  );
  // The typed reference itself, unless the search found exactly that item.
  if (
    reference &&
    !choices.some(
      (choice) =>
        choice.kind === "item" && choice.item.iid === reference.iid && choice.type === typeOf(reference),
    )
  )
    choices.unshift({ kind: "text", type: typeOf(reference), text: search });
  const active = [
    [searchKinds.issues, issues],
    [searchKinds.mergeRequests, mergeRequests],
    [Boolean(other?.issues), otherIssues],
    [Boolean(other?.mergeRequests), otherMergeRequests],
  ] as const;
  const loading = active.some(([wanted, query]) => wanted && query.isFetching);
  const lookupError = [issues, mergeRequests].find((query) => query.isError)?.error;
  const otherError = [otherIssues, otherMergeRequests].find((query) => query.isError)?.error;

  const isLinked = (choice: Choice) =>
    choice.kind === "item" && linkedKeys.has(`${choice.item.project_id}:${choice.type}:${choice.item.iid}`);

  const link = async (choice: Choice | null) => {
    if (!choice || isLinked(choice)) return;
    const variables: LinkItemVariables =
      choice.kind === "item"
        ? {
            url: choice.item.web_url,
            type: choice.type,
            preview: {
              title: choice.item.title,
              state: choice.item.state === "locked" ? "opened" : choice.item.state,
              draft: Boolean(choice.item.draft),
              reference: itemReference(choice),
              projectPath: choice.projectPath ?? "",
              gitlabProjectId: choice.item.project_id,
              iid: choice.item.iid,
            },
          }
        : {
            url: choice.text,
            type: choice.type,
            preview: {
              title: choice.text,
              state: "opened",
              draft: false,
              reference: "",
              projectPath: "",
              gitlabProjectId: null,
              iid: null,
            },
          };
    setRefusal(null);
    setPending(true);
    try {
      await onLink(variables);
      setText("");
    } catch (error) {
      const what = choice.kind === "item" ? itemReference(choice) : choice.text;
      setRefusal(
        isApiClientError(error, 502)
          ? `GitLab could not be reached, so ${what} was not linked. Try again in a moment.`
          : `Could not link ${what}: ${errorMessage(error)}`,
      );
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="max-w-2xl space-y-1.5">
      <Combobox<Choice | null> value={null} onChange={(choice) => void link(choice)} immediate>
        <Label className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">Link issue or MR</Label>
        <div className="relative">
          <Link2
            aria-hidden="true"
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-zinc-400"
          />
          <ComboboxInput
            className={cx(controlClasses, "pr-9 pl-8")}
            placeholder="Search, #12, !34, group/project#12 or paste a GitLab URL"
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setRefusal(null);
            }}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={refusal ? true : undefined}
            aria-describedby={refusal ? errorId : undefined}
          />
          {(pending || loading) && (
            <Loader2
              aria-label={pending ? "Linking…" : "Searching GitLab…"}
              className="absolute top-1/2 right-2.5 size-4 -translate-y-1/2 animate-spin text-zinc-400"
            />
          )}
        </div>
        <ComboboxOptions
          anchor={{ to: "bottom start", gap: 4 }}
          // Not modal: the rest of the page (tabs, Unlink buttons) stays usable while results are open.
          modal={false}
          className="z-50 max-h-80 w-(--input-width) overflow-y-auto rounded-md border border-zinc-200 bg-white py-1 shadow-lg empty:invisible dark:border-zinc-700 dark:bg-zinc-900"
        >
          {gitlabProjectId === null && !reference && (
            <p className="px-3 py-2 text-sm text-zinc-600 dark:text-zinc-400">
              The integration has no GitLab project to search: paste an issue or merge request URL.
            </p>
          )}
          {lookupError && (
            <p className="px-3 py-2 text-sm text-red-700 dark:text-red-400">
              Could not search GitLab: {errorMessage(lookupError)}
            </p>
          )}
          {other && otherError && (
            <p className="px-3 py-2 text-sm text-zinc-600 dark:text-zinc-400">
              Could not search {other.path}: {errorMessage(otherError)}
            </p>
          )}
          {choices.map((choice) => {
            const linked = isLinked(choice);
            const label =
              choice.kind === "text"
                ? `Link ${choice.text}`
                : `${itemReference(choice)} ${choice.item.title}${linked ? " (already linked)" : ""}`;
            return (
              <ComboboxOption
                key={choice.kind === "text" ? `text:${choice.text}` : `${choice.type}:${choice.item.id}`}
                value={choice}
                disabled={linked}
                aria-label={label}
                className="flex cursor-pointer items-center gap-2 px-3 py-2 text-sm data-disabled:cursor-not-allowed data-disabled:opacity-60 data-focus:bg-accent-50 dark:data-focus:bg-accent-950/40"
              >
                <ItemTypeIcon type={choice.type} />
                {choice.kind === "text" ? (
                  <span className="min-w-0 flex-1 truncate">
                    Link <span className="font-mono">{choice.text}</span>
                  </span>
                ) : (
                  <>
                    <span
                      className={cx(
                        "shrink-0 font-mono text-xs text-zinc-500 tabular-nums",
                        choice.projectPath ? "max-w-48 truncate" : "w-10",
                      )}
                    >
                      {itemReference(choice)}
                    </span>
                    <span className="min-w-0 flex-1 truncate">{choice.item.title}</span>
                    {choice.item.confidential && <ConfidentialMark />}
                    <ItemStateBadge state={choice.item.state} draft={choice.item.draft} type={choice.type} />
                    {linked && <span className="text-xs text-zinc-500">Linked</span>}
                  </>
                )}
              </ComboboxOption>
            );
          })}
          {search &&
            !reference &&
            !loading &&
            !lookupError &&
            gitlabProjectId !== null &&
            choices.length === 0 && (
              <p className="px-3 py-2 text-sm text-zinc-600 dark:text-zinc-400">
                No issue or merge request matches “{search}”.
              </p>
            )}
        </ComboboxOptions>
      </Combobox>
      {refusal && (
        <p id={errorId} role="alert" className="text-sm text-red-700 dark:text-red-400">
          {refusal}
        </p>
      )}
    </div>
  );
}
