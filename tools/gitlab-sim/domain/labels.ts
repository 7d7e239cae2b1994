// Label mutations: create, resolve names to ids, apply a label patch. Domain functions trust their
// caller (permission checks live in the REST routes).
import type { SimStore } from "../store";
import { SimError } from "../store";
import type { Label, Project } from "../types";
import { normaliseColor, tick } from "../util";

const DEFAULT_LABEL_COLOR = "#6699CC";

export function createLabel(
  store: SimStore,
  project: Project,
  input: { name: string; color?: string; description?: string | null; priority?: number | null },
): Label {
  const title = input.name.trim();
  if (!title || title.includes(",") || title.length > 255)
    throw new SimError(`invalid label title: ${input.name}`);
  if (store.labelByTitle(project.id, title)) throw new SimError("Label already exists");
  const color = normaliseColor(input.color ?? DEFAULT_LABEL_COLOR);
  if (!color) throw new SimError(`invalid colour: ${input.color}`);
  const now = tick();
  const label: Label = {
    id: store.nextId("label"),
    projectId: project.id,
    title,
    color,
    description: input.description ?? null,
    priority: input.priority ?? null,
    createdAt: now,
    updatedAt: now,
  };
  store.labels.set(label.id, label);
  return label;
}

/** Resolves label names to ids; unknown names are created when `create` is set, otherwise dropped. */
export function resolveLabels(store: SimStore, project: Project, names: string[], create: boolean): number[] {
  const ids: number[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    let label = store.labelByTitle(project.id, name);
    if (!label && create) label = createLabel(store, project, { name });
    if (label && !ids.includes(label.id)) ids.push(label.id);
  }
  return ids;
}

export function applyLabelPatch(
  store: SimStore,
  project: Project,
  current: number[],
  patch: { labels?: string[]; addLabels?: string[]; removeLabels?: string[]; createLabels?: boolean },
): number[] {
  let ids = [...current];
  const create = patch.createLabels ?? true;
  if (patch.labels !== undefined) ids = resolveLabels(store, project, patch.labels, create);
  if (patch.addLabels) {
    for (const id of resolveLabels(store, project, patch.addLabels, create))
      if (!ids.includes(id)) ids.push(id);
  }
  if (patch.removeLabels) {
    const remove = resolveLabels(store, project, patch.removeLabels, false);
    ids = ids.filter((id) => !remove.includes(id));
  }
  return ids;
}
