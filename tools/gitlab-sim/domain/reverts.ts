// Reverting a merged merge request, as GitLab's Revert button does (Commit#revert_message): a revert
// commit titled `Revert "<title>"` with the body `This reverts merge request !N`, on the branch
// `revert-<short sha>`. Either a new merge request carries it (its description is the commit body) or it
// lands directly on the target branch. The original merge request only gains a system note: GitLab
// sends no Merge Request Hook for it (a direct revert would be a Push Hook, which the simulator does
// not model).
import { randomUUID } from "node:crypto";
import { SimError, type SimStore } from "../store";
import type { MergeRequest, SimEvent } from "../types";
import { sha1 } from "../util";
import { createMergeRequest, mergeRequestTransition } from "./merge-requests";
import { systemNote } from "./system-notes";

export interface RevertInput {
  /** `merge_request` (default): open a revert merge request; `direct`: commit to the target branch. */
  mode?: "merge_request" | "direct";
  /**
   * Merge the revert merge request straight away. The caller does it (mergeRevert) after
   * delivering the open hook: GitLab's open hook shows the new merge request as `opened`.
   */
  merge?: boolean;
}

export function revertMergeRequest(
  store: SimStore,
  mr: MergeRequest,
  actorId: number,
  input: RevertInput = {},
): { commitSha: string; mergeRequest: MergeRequest | null; events: SimEvent[] } {
  if (mr.state !== "merged") throw new SimError(`merge request !${mr.iid} is not merged (state ${mr.state})`);
  const project = store.requireProject(mr.projectId);
  const commitSha = sha1(`revert:${mr.id}:${randomUUID()}`);
  const title = `Revert "${mr.title.trim()}"`;
  const body = `This reverts merge request !${mr.iid}`;
  if (input.mode === "direct") {
    systemNote(store, mr, "MergeRequest", actorId, `mentioned in commit ${commitSha}`);
    return { commitSha, mergeRequest: null, events: [] };
  }
  const { mergeRequest, events } = createMergeRequest(store, project, {
    title,
    description: body,
    source_branch: `revert-${commitSha.slice(0, 8)}`,
    target_branch: mr.targetBranch,
    author_id: actorId,
  });
  systemNote(store, mr, "MergeRequest", actorId, `mentioned in merge request !${mergeRequest.iid}`);
  return { commitSha, mergeRequest, events };
}

/** Merges a revert merge request opened by revertMergeRequest (its own `merge` hook). */
export function mergeRevert(store: SimStore, revert: MergeRequest, actorId: number): SimEvent[] {
  return mergeRequestTransition(store, revert, actorId, "merge");
}
