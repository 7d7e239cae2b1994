// Inputs and outputs of the simulator's control API (programmatic and over HTTP under /_sim).
import type { DeliverMode } from "./webhook-delivery";
import type { IssueType, PayloadStyle } from "./types";

export type ProjectRef = number | string;

export interface ActionOptions {
  /** `sync` (default): wait for deliveries and return them. `async`: return `[]` at once. */
  deliver?: DeliverMode;
  payloadStyle?: PayloadStyle;
  /** Who performs the change (webhook `user`); defaults to the item's author. */
  userId?: number;
}

export interface IssueChanges {
  title?: string;
  description?: string | null;
  labels?: string[];
  add_labels?: string[];
  remove_labels?: string[];
  assignee_ids?: number[];
  confidential?: boolean;
  issue_type?: IssueType;
}

export interface MergeRequestChanges {
  title?: string;
  description?: string | null;
  labels?: string[];
  add_labels?: string[];
  remove_labels?: string[];
  assignee_ids?: number[];
  reviewer_ids?: number[];
  draft?: boolean;
  target_branch?: string;
}

export interface HookInput {
  url: string;
  token?: string;
  name?: string;
  issues_events?: boolean;
  confidential_issues_events?: boolean;
  merge_requests_events?: boolean;
  note_events?: boolean;
  confidential_note_events?: boolean;
  push_events?: boolean;
  enable_ssl_verification?: boolean;
}

export interface TokenInput {
  value?: string;
  name: string;
  description?: string | null;
  scopes: string[];
  expires_at?: string | null;
  userId?: number;
  revoked?: boolean;
  projects?: { id: ProjectRef; access_level: number }[];
  groups?: { id: number | string; access_level: number }[];
}

export interface TokenInfo {
  id: number;
  value: string;
  name: string;
  scopes: string[];
  expires_at: string | null;
  revoked: boolean;
  user_id: number;
  username: string;
  bot: boolean;
}

export interface DeliveryFilter {
  hookId?: number;
  projectId?: number;
  event?: string;
  objectKind?: string;
  action?: string;
}

export interface NoteInput {
  body: string;
  author_id?: number;
  /** Username of the author (instead of `author_id`). */
  author?: string;
  internal?: boolean;
  /** Start a thread (a `DiscussionNote`) instead of a standalone comment. */
  thread?: boolean;
  /** Reply in this thread. */
  discussion_id?: string;
}
