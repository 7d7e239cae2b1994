// Minimal HTML pages for the web URLs the API hands out (project, issue, work item, MR), so a human
// clicking a link from Flagpost lands somewhere meaningful. Not part of GitLab's API surface.
import { issueWebUrl } from "./entities/issues";
import { mergeRequestWebUrl } from "./entities/merge-requests";
import type { ApiResponse } from "./http";
import type { SimStore } from "./store";
import type { Project } from "./types";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): ApiResponse {
  return {
    status: 200,
    rawContentType: "text/html; charset=utf-8",
    body: `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)} · GitLab simulator</title></head><body style="font-family:sans-serif;max-width:60rem;margin:2rem auto">${body}</body></html>`,
  };
}

export function renderWebPage(store: SimStore, relPath: string): ApiResponse | null {
  let path: string;
  try {
    path = decodeURIComponent(relPath).replace(/^\/+|\/+$/g, "");
  } catch {
    return null;
  }
  const item = /^(.+?)\/-\/(issues\/incident|issues|work_items|merge_requests)\/(\d+)$/.exec(path);
  if (item) {
    const project = store.findProject(item[1] as string);
    if (!project) return null;
    const iid = Number(item[3]);
    if (item[2] === "merge_requests") {
      const mr = store.mergeRequestByIid(project.id, iid);
      if (!mr) return null;
      const labels = store
        .labelsByIds(mr.labelIds)
        .map((l) => esc(l.title))
        .join(", ");
      return page(
        mr.title,
        `<p>${esc(store.projectFullPath(project))}</p><h1>!${mr.iid} ${esc(mr.title)}</h1><p>State: <b>${mr.state}</b> · ${esc(mr.sourceBranch)} → ${esc(mr.targetBranch)}</p><p>Labels: ${labels || "none"}</p><pre>${esc(mr.description ?? "")}</pre>`,
      );
    }
    const issue = store.issueByIid(project.id, iid);
    if (!issue) return null;
    const labels = store
      .labelsByIds(issue.labelIds)
      .map((l) => esc(l.title))
      .join(", ");
    return page(
      issue.title,
      `<p>${esc(store.projectFullPath(project))}</p><h1>#${issue.iid} ${esc(issue.title)}</h1><p>Type: ${issue.issueType} · State: <b>${issue.state}</b>${issue.confidential ? " · confidential" : ""}</p><p>Labels: ${labels || "none"}</p><pre>${esc(issue.description ?? "")}</pre>`,
    );
  }
  const project: Project | undefined = path.includes("/") ? store.findProject(path) : undefined;
  if (!project) return null;
  const issues = [...store.issues.values()].filter((i) => i.projectId === project.id);
  const mrs = [...store.mergeRequests.values()].filter((m) => m.projectId === project.id);
  const li = (href: string, text: string) => `<li><a href="${esc(href)}">${esc(text)}</a></li>`;
  return page(
    project.name,
    `<h1>${esc(store.projectNameWithNamespace(project))}</h1><p>Project id ${project.id} · ${project.visibility}</p>` +
      `<h2>Issues</h2><ul>${issues.map((i) => li(issueWebUrl(store, i), `#${i.iid} ${i.title} (${i.state})`)).join("")}</ul>` +
      `<h2>Merge requests</h2><ul>${mrs.map((m) => li(mergeRequestWebUrl(store, m), `!${m.iid} ${m.title} (${m.state})`)).join("")}</ul>`,
  );
}
