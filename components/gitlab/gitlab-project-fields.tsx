"use client";

import { Select, type SelectOption } from "@/components/ui/select";
import { TextField } from "@/components/ui/text-field";

interface GitLabProjectFieldsProps {
  options: SelectOption[];
  value: number | null;
  onChange: (gitlabProjectId: number | null) => void;
  /** Text searched in GitLab for more projects (see useGitLabProjectOptions). */
  searchText: string;
  onSearchTextChange: (text: string) => void;
}

/** "GitLab project" select with a search box beside it for projects beyond the first page. */
export function GitLabProjectFields({
  options,
  value,
  onChange,
  searchText,
  onSearchTextChange,
}: GitLabProjectFieldsProps) {
  return (
    <>
      <Select
        label="GitLab project"
        className="min-w-64 flex-1"
        value={value === null ? "" : String(value)}
        placeholder={value === null ? "Choose a GitLab project…" : undefined}
        options={options}
        onChange={(event) => onChange(event.target.value ? Number(event.target.value) : null)}
      />
      <TextField
        label="Find a GitLab project"
        hideLabel
        type="search"
        placeholder="Find another GitLab project…"
        value={searchText}
        onChange={(event) => onSearchTextChange(event.target.value)}
        className="w-56"
        autoComplete="off"
      />
    </>
  );
}
