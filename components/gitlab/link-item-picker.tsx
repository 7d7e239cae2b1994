"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { ItemStateBadge } from "@/components/gitlab/gitlab-item-display";
import { GitLabProjectFields } from "@/components/gitlab/gitlab-project-fields";
import { useGitLabProjectOptions } from "@/components/gitlab/use-gitlab-project-options";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { ErrorState } from "@/components/ui/error-state";
import { SearchField } from "@/components/ui/search-field";
import { Select } from "@/components/ui/select";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { TextField } from "@/components/ui/text-field";
import { parseItemReference } from "@/lib/gitlab/links/item-reference";
import { useDebouncedValue } from "@/lib/client/hooks/use-debounced-value";
import type { GitLabIntegrationConfig, GitLabItemOption, LinkType } from "@/lib/client/queries/gitlab-types";
import { useGitLabItems } from "@/lib/client/queries/use-gitlab-items";
import type { LinkItemVariables } from "@/lib/client/queries/use-link-feature-item";

// "Link issue or merge request": choose the kind and the GitLab project (the integration's linked
// one by default, any the token sees otherwise), search GitLab (titles, or #12 / !12 by number),
// filter by state, scroll for more, and link the chosen item; or paste a URL or reference.

const STATES: Record<LinkType, { value: string; label: string }[]> = {
  GITLAB_ISSUE: [
    { value: "opened", label: "Open" },
    { value: "closed", label: "Closed" },
    { value: "all", label: "All" },
  ],
  GITLAB_MR: [
    { value: "opened", label: "Open" },
    { value: "merged", label: "Merged" },
    { value: "closed", label: "Closed" },
    { value: "all", label: "All" },
  ],
};

const sigil = (type: LinkType) => (type === "GITLAB_MR" ? "!" : "#");

/** The kind of item a pasted text names, read by the server's own parser; text it cannot read goes to the server, which says why. */
function pastedType(text: string, instanceUrl: string): LinkType {
  try {
    return parseItemReference(text, instanceUrl).kind === "merge_request" ? "GITLAB_MR" : "GITLAB_ISSUE";
  } catch {
    return "GITLAB_ISSUE";
  }
}

/**
 * Calls `onVisible` when the returned ref's element scrolls into view inside its scroll container
 * (infinite scroll). `pages` re-arms it after each load, in case the element is still in view.
 */
function useWhenVisible(onVisible: () => void, active: boolean, pages: number) {
  const target = useRef<HTMLLIElement | null>(null);
  const callback = useRef(onVisible);
  useEffect(() => {
    callback.current = onVisible;
  });
  useEffect(() => {
    const node = target.current;
    if (!node || !active || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => entries.some((entry) => entry.isIntersecting) && callback.current(),
      { root: node.parentElement },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [active, pages]);
  return target;
}

interface LinkItemPickerProps {
  projectId: number;
  integration: GitLabIntegrationConfig;
  /** "<gitlab project id>:<type>:<iid>" of the items already linked. */
  linkedKeys: Set<string>;
  onLink: (variables: LinkItemVariables) => void;
}

export function LinkItemPicker({ projectId, integration, linkedKeys, onLink }: LinkItemPickerProps) {
  const [type, setType] = useState<LinkType>("GITLAB_ISSUE");
  const [projectText, setProjectText] = useState("");
  const projectChoices = useGitLabProjectOptions(projectId, integration, projectText);
  const [chosenProjectId, setChosenProjectId] = useState<number | null>(null);
  const [text, setText] = useState("");
  const search = useDebouncedValue(text.trim(), 300);
  const [state, setState] = useState("opened");
  const [selected, setSelected] = useState<GitLabItemOption | null>(null);
  const [pasted, setPasted] = useState("");

  const projectOptions = projectChoices.options;
  const gitlabProjectId = chosenProjectId ?? integration.gitlab_project_id ?? projectChoices.firstId;
  const projectPath = projectChoices.pathOf(gitlabProjectId);

  const items = useGitLabItems(
    projectId,
    type === "GITLAB_MR" ? "merge-requests" : "issues",
    { gitlab_project_id: gitlabProjectId ?? undefined, search_text: search || undefined, state },
    { enabled: gitlabProjectId !== null },
  );
  const rows = items.data?.pages.flatMap((page) => page.results) ?? [];
  const sentinel = useWhenVisible(
    () => {
      if (items.hasNextPage && !items.isFetchingNextPage) void items.fetchNextPage();
    },
    Boolean(items.hasNextPage),
    items.data?.pages.length ?? 0,
  );

  const isLinked = (item: GitLabItemOption) => linkedKeys.has(`${gitlabProjectId}:${type}:${item.iid}`);
  const reset = () => setSelected(null);

  const linkSelected = () => {
    if (!selected || gitlabProjectId === null) return;
    onLink({
      url: selected.web_url,
      type,
      preview: {
        title: selected.title,
        state: selected.state === "locked" ? "opened" : selected.state,
        draft: Boolean(selected.draft),
        reference: `${sigil(type)}${selected.iid}`,
        projectPath,
        gitlabProjectId,
        iid: selected.iid,
      },
    });
    setSelected(null);
  };

  const linkPasted = (event: FormEvent) => {
    event.preventDefault();
    const value = pasted.trim();
    if (!value) return;
    onLink({
      url: value,
      type: pastedType(value, integration.gitlab_instance_url),
      preview: {
        title: value,
        state: "opened",
        draft: false,
        reference: "",
        projectPath: "",
        gitlabProjectId: null,
        iid: null,
      },
    });
    setPasted("");
  };

  const kindName = type === "GITLAB_MR" ? "merge requests" : "issues";
  return (
    <div className="space-y-5 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <div className="flex flex-wrap items-end gap-4">
        <fieldset className="space-y-1.5">
          <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Type</legend>
          <div className="inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700">
            {(["GITLAB_ISSUE", "GITLAB_MR"] as const).map((option) => (
              <label
                key={option}
                className={cx(
                  "relative cursor-pointer rounded px-3 py-1.5 text-sm font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent-600",
                  type === option
                    ? "bg-accent-600 text-white"
                    : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
                )}
              >
                {/* Transparent over the whole segment: native radio behaviour, the segment's look. */}
                <input
                  type="radio"
                  name="link-type"
                  className="absolute inset-0 cursor-pointer opacity-0"
                  checked={type === option}
                  onChange={() => {
                    setType(option);
                    if (option === "GITLAB_ISSUE" && state === "merged") setState("opened");
                    reset();
                  }}
                />
                {option === "GITLAB_MR" ? "Merge request" : "Issue"}
              </label>
            ))}
          </div>
        </fieldset>
        <GitLabProjectFields
          options={projectOptions}
          value={gitlabProjectId}
          onChange={(id) => {
            setChosenProjectId(id);
            reset();
          }}
          searchText={projectText}
          onSearchTextChange={setProjectText}
        />
      </div>

      <div className="flex flex-wrap items-end gap-3">
        <SearchField
          label={`Search ${kindName}`}
          placeholder={`Search ${kindName} by title or ${sigil(type)}number`}
          value={text}
          onChange={(value) => {
            setText(value);
            reset();
          }}
        />
        <Select
          label="State"
          hideLabel
          className="w-36"
          value={state}
          options={STATES[type]}
          onChange={(event) => {
            setState(event.target.value);
            reset();
          }}
        />
      </div>

      {gitlabProjectId === null ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Choose the GitLab project to search.</p>
      ) : items.isPending ? (
        <BlockSkeleton lines={4} label={`Loading ${kindName}…`} />
      ) : items.isError ? (
        <ErrorState
          title={`Could not load GitLab ${kindName}`}
          error={items.error}
          onRetry={() => void items.refetch()}
        />
      ) : rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 px-4 py-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {search ? `No ${kindName} match “${search}”.` : `No ${kindName} in this state.`}
        </p>
      ) : (
        <fieldset aria-busy={items.isFetching}>
          <legend className="sr-only">GitLab {kindName}</legend>
          <ul className="max-h-72 space-y-1 overflow-y-auto pr-1" aria-label={`GitLab ${kindName}`}>
            {rows.map((item) => {
              const linked = isLinked(item);
              const name = `${sigil(type)}${item.iid} ${item.title}`;
              return (
                <li key={item.id}>
                  <label
                    className={cx(
                      "flex items-center gap-3 rounded-md border px-3 py-2 text-sm",
                      linked
                        ? "cursor-not-allowed border-zinc-200 opacity-60 dark:border-zinc-800"
                        : "cursor-pointer",
                      !linked && selected?.id === item.id
                        ? "border-accent-500 bg-accent-50 dark:border-accent-500 dark:bg-accent-950/40"
                        : !linked &&
                            "border-zinc-200 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/50",
                    )}
                  >
                    <input
                      type="radio"
                      name="gitlab-item"
                      className="accent-accent-600"
                      aria-label={linked ? `${name} (already linked)` : name}
                      disabled={linked}
                      checked={!linked && selected?.id === item.id}
                      onChange={() => setSelected(item)}
                    />
                    <span className="w-12 shrink-0 font-mono text-xs text-zinc-500 tabular-nums">
                      {sigil(type)}
                      {item.iid}
                    </span>
                    <span className="min-w-0 flex-1 truncate">{item.title}</span>
                    <ItemStateBadge state={item.state} draft={item.draft} />
                    {linked && <Badge tone="accent">Linked</Badge>}
                  </label>
                </li>
              );
            })}
            {items.hasNextPage && (
              <li ref={sentinel} className="py-2 text-center">
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => void items.fetchNextPage()}
                  pending={items.isFetchingNextPage}
                >
                  Load more {kindName}
                </Button>
              </li>
            )}
          </ul>
        </fieldset>
      )}

      <Button variant="primary" onClick={linkSelected} disabled={!selected}>
        {selected ? `Link ${sigil(type)}${selected.iid}` : "Link"}
      </Button>

      <form
        onSubmit={linkPasted}
        className="flex flex-wrap items-end gap-3 border-t border-zinc-200 pt-4 dark:border-zinc-800"
        aria-label="Link by URL"
      >
        <TextField
          label="Or paste a URL or reference"
          placeholder={`${integration.gitlab_instance_url}/group/project/-/issues/12, #12 or !34`}
          value={pasted}
          onChange={(event) => setPasted(event.target.value)}
          className="min-w-72 flex-1"
          autoComplete="off"
          spellCheck={false}
        />
        <Button type="submit" disabled={!pasted.trim()}>
          Link pasted item
        </Button>
      </form>
    </div>
  );
}
