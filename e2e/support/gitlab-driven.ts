import type { APIRequestContext } from "@playwright/test";
import { DEMO_PROJECT_PATH, DEMO_TOKENS } from "../../tools/gitlab-sim/seed";
import { GITLAB_SIM_URL, uniqueName } from "./constants";
import { expect } from "./test";

// A feature that GitLab drives (release rules and flag commands), for the specs that drive it: the
// simulator's demo data, a Flagpost project connected to its demo project with both switched on,
// a feature linked to a fresh merge request there, and the project's webhook registered in GitLab.

/** The simulator's control endpoints for its demo project. */
export const SIM_DEMO_PROJECT = `${GITLAB_SIM_URL}/_sim/projects/${encodeURIComponent(DEMO_PROJECT_PATH)}`;

export interface GitLabDrivenFeature {
  projectId: number;
  featureId: number;
  featureName: string;
  /** The Development environment's API key. */
  development: string;
  /** The linked merge request in the demo project. */
  mrIid: number;
  /** The integration's token user: commands are written `@<bot> enable …`. */
  bot: string;
  /** Simulator user ids of the demo seed (alice Maintainer, bob Developer, carol Reporter). */
  users: { alice: number; bob: number; carol: number; dave: number };
}

/** Seeds the simulator afresh (which forgets earlier specs' hooks) and sets up a driven feature. */
export async function setUpGitLabDrivenFeature(
  request: APIRequestContext,
  origin: string,
  prefix: string,
): Promise<GitLabDrivenFeature> {
  const headers = { origin };
  const seeded = await request.post(`${GITLAB_SIM_URL}/_sim/seed`);
  expect(seeded.ok()).toBe(true);
  const seed = (await seeded.json()) as { projectId: number; users: GitLabDrivenFeature["users"] };
  const bot = (
    (await (await request.get(`${GITLAB_SIM_URL}/_sim/tokens/${DEMO_TOKENS.maintainer}`)).json()) as {
      username: string;
    }
  ).username;

  const project = await request.post("/api/v1/projects/", {
    data: { name: uniqueName(prefix), create_default_environments: true },
    headers,
  });
  expect(project.status(), await project.text()).toBe(201);
  const projectId = ((await project.json()) as { id: number }).id;
  const integration = await request.post(`/api/v1/projects/${projectId}/integrations/gitlab/`, {
    data: {
      gitlab_instance_url: GITLAB_SIM_URL,
      access_token: DEMO_TOKENS.maintainer,
      gitlab_project_id: seed.projectId,
    },
    headers,
  });
  expect(integration.status(), await integration.text()).toBe(201);
  const config = (await integration.json()) as { id: number; webhook_url: string; webhook_secret: string };
  const enabled = await request.patch(`/api/v1/projects/${projectId}/integrations/gitlab/${config.id}/`, {
    data: { release_rules_enabled: true, commands_enabled: true },
    headers,
  });
  expect(enabled.status(), await enabled.text()).toBe(200);

  const featureName = uniqueName("fast_cart");
  const feature = await request.post(`/api/v1/projects/${projectId}/features/`, {
    data: { name: featureName },
    headers,
  });
  expect(feature.status(), await feature.text()).toBe(201);
  const featureId = ((await feature.json()) as { id: number }).id;
  const mr = await request.post(`${SIM_DEMO_PROJECT}/merge_requests`, {
    data: { title: "Fast cart", source_branch: uniqueName("feature/fast-cart"), author_id: seed.users.alice },
  });
  expect(mr.status(), await mr.text()).toBe(201);
  const mrIid = ((await mr.json()) as { iid: number }).iid;
  const linked = await request.post(
    `/api/v1/projects/${projectId}/features/${featureId}/feature-external-resources/`,
    { data: { url: `!${mrIid}`, type: "GITLAB_MR" }, headers },
  );
  expect(linked.status(), await linked.text()).toBe(201);
  const environments = (await (await request.get(`/api/v1/environments/?project=${projectId}`)).json()) as {
    results: { api_key: string; name: string }[];
  };
  const development = environments.results.find((environment) => environment.name === "Development")!.api_key;
  const hook = await request.post(`${SIM_DEMO_PROJECT}/hooks`, {
    data: {
      url: config.webhook_url,
      token: config.webhook_secret,
      issues_events: true,
      merge_requests_events: true,
      note_events: true,
    },
  });
  expect(hook.status()).toBe(201);
  return { projectId, featureId, featureName, development, mrIid, bot, users: seed.users };
}

/** Whether the feature is on in the environment (API key), read through the API. */
export async function isEnabledIn(
  request: APIRequestContext,
  environmentApiKey: string,
  featureId: number,
): Promise<boolean> {
  const answer = await request.get(
    `/api/v1/environments/${environmentApiKey}/featurestates/?feature=${featureId}`,
  );
  const body = (await answer.json()) as { results: { enabled: boolean }[] };
  return body.results[0]!.enabled;
}

/** A GitLab user starts a discussion thread on the merge request, as in GitLab's web UI. */
export async function commentOnMergeRequest(
  request: APIRequestContext,
  mrIid: number,
  author: string,
  body: string,
): Promise<void> {
  const comment = await request.post(`${SIM_DEMO_PROJECT}/merge_requests/${mrIid}/notes`, {
    data: { body, author, thread: true },
  });
  expect(comment.status(), await comment.text()).toBe(201);
}

/** Waits until the thread started by a note containing `startedWith` has a reply, and returns it. */
export async function replyInThread(
  request: APIRequestContext,
  mrIid: number,
  startedWith: string,
): Promise<{ body: string; author: { username: string } }> {
  let reply: { body: string; author: { username: string } } | undefined;
  await expect(async () => {
    const discussions = (await (
      await request.get(`${SIM_DEMO_PROJECT}/merge_requests/${mrIid}/discussions`)
    ).json()) as { notes: { body: string; author: { username: string } }[] }[];
    reply = discussions.find((discussion) => discussion.notes[0]?.body.includes(startedWith))?.notes[1];
    expect(reply, `a reply in the thread of "${startedWith}"`).toBeDefined();
  }).toPass();
  return reply!;
}
