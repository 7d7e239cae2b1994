// Access tokens: personal, project and group tokens (the latter two create their bot user, as GitLab does).
import { randomBytes } from "node:crypto";
import { addMember } from "./permissions";
import { SimError, type SimStore } from "./store";
import type { Token } from "./types";
import { md5, nowIso, todayDate } from "./util";

export function createToken(
  store: SimStore,
  input: {
    value?: string;
    name: string;
    description?: string | null;
    scopes: string[];
    expires_at?: string | null;
    userId?: number;
    revoked?: boolean;
    projects?: { id: number | string; access_level: number }[];
    groups?: { id: number | string; access_level: number }[];
  },
): Token {
  const value = input.value ?? `glpat-${randomBytes(15).toString("base64url")}`;
  if (store.tokens.has(value)) throw new SimError("token value already exists");
  if (input.scopes.length === 0) throw new SimError("a token needs at least one scope");
  if (
    input.expires_at !== undefined &&
    input.expires_at !== null &&
    !/^\d{4}-\d{2}-\d{2}$/.test(input.expires_at)
  ) {
    throw new SimError("expires_at must be YYYY-MM-DD or null");
  }
  let userId = input.userId;
  if (userId !== undefined) {
    store.requireUser(userId);
  } else {
    // Project/group access token: GitLab creates a bot user named after the first resource.
    const suffix = md5(value);
    const firstProject = input.projects?.[0];
    const firstGroup = input.groups?.[0];
    let username: string;
    if (firstProject) {
      username = `project_${store.requireProject(firstProject.id).id}_bot_${suffix}`;
    } else if (firstGroup) {
      username = `group_${store.requireGroup(firstGroup.id).id}_bot_${suffix}`;
    } else {
      throw new SimError("createToken needs userId, projects or groups");
    }
    const bot = store.createUser({
      username,
      name: input.name,
      bot: true,
      email: `${username}@noreply.${store.host}`,
    });
    userId = bot.id;
  }
  for (const p of input.projects ?? []) {
    addMember(store, "Project", store.requireProject(p.id).id, userId, p.access_level);
  }
  for (const g of input.groups ?? []) {
    addMember(store, "Namespace", store.requireGroup(g.id).id, userId, g.access_level);
  }
  const token: Token = {
    id: store.nextId("token"),
    value,
    name: input.name,
    description: input.description ?? null,
    scopes: [...input.scopes],
    // Since 16.0 new access tokens must expire; default to one year like GitLab's maximum.
    expiresAt: input.expires_at === undefined ? todayDate(365) : input.expires_at,
    revoked: input.revoked ?? false,
    userId,
    createdAt: nowIso(),
    lastUsedAt: null,
  };
  store.tokens.set(value, token);
  return token;
}

export function tokenExpired(store: SimStore, token: Token): boolean {
  // A token expires at the start of its expiry date (UTC).
  return token.expiresAt !== null && token.expiresAt <= todayDate();
}
