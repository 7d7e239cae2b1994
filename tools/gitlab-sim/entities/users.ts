// REST API v4 representations (GitLab's Grape entities) of users, tokens and members.
import type { SimStore } from "../store";
import type { Membership, Token, User } from "../types";
import { gravatar } from "../util";
import { tokenExpired } from "../tokens";

export function userBasic(store: SimStore, user: User) {
  return {
    id: user.id,
    username: user.username,
    public_email: user.publicEmail ?? "",
    name: user.name,
    state: user.state,
    locked: false,
    avatar_url: gravatar(user.email),
    web_url: `${store.instanceUrl}/${user.username}`,
  };
}

export function userBasicById(store: SimStore, id: number | null) {
  if (id === null) return null;
  const u = store.users.get(id);
  return u ? userBasic(store, u) : null;
}

/** `GET /user`: the authenticated user's own representation (includes `bot` and `email`). */
export function currentUser(store: SimStore, user: User) {
  return {
    ...userBasic(store, user),
    created_at: user.createdAt,
    bio: "",
    location: "",
    linkedin: "",
    twitter: "",
    discord: "",
    website_url: "",
    github: "",
    job_title: "",
    pronouns: null,
    organization: "",
    bot: user.bot,
    work_information: null,
    local_time: null,
    last_sign_in_at: user.bot ? null : user.createdAt,
    confirmed_at: user.createdAt,
    last_activity_on: user.createdAt.slice(0, 10),
    email: user.email,
    theme_id: 3,
    color_scheme_id: 1,
    projects_limit: user.bot ? 0 : 100000,
    current_sign_in_at: null,
    identities: [],
    can_create_group: !user.bot,
    can_create_project: !user.bot,
    two_factor_enabled: false,
    external: false,
    private_profile: false,
    commit_email: user.email,
    preferred_language: "en",
    ...(user.isAdmin ? { is_admin: true } : {}),
  };
}

export function tokenSelf(store: SimStore, token: Token) {
  const expired = tokenExpired(store, token);
  return {
    id: token.id,
    name: token.name,
    revoked: token.revoked,
    created_at: token.createdAt,
    description: token.description,
    scopes: token.scopes,
    user_id: token.userId,
    last_used_at: token.lastUsedAt,
    active: !token.revoked && !expired,
    expires_at: token.expiresAt,
  };
}

export function memberEntity(
  store: SimStore,
  user: User,
  m: Pick<Membership, "accessLevel" | "createdAt" | "expiresAt" | "createdById">,
) {
  return {
    ...userBasic(store, user),
    access_level: m.accessLevel,
    created_at: m.createdAt,
    created_by: userBasicById(store, m.createdById),
    expires_at: m.expiresAt,
    membership_state: "active",
  };
}
