import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_TOKENS, type DemoSeed } from "./seed";
import { type GitLabSimulator, startGitLabSimulator } from "./server";
import { api } from "./test-helpers";
import { ACCESS_LEVEL } from "./types";

let gl: GitLabSimulator;
let seed: DemoSeed;
const T = DEMO_TOKENS;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
});
beforeEach(() => {
  seed = gl.sim.seedDemo();
});
afterAll(() => gl.close());

const memberAll = (userId: number) => `/projects/${seed.projectId}/members/all/${userId}`;
const control = (path: string, method: string, json?: unknown) =>
  fetch(`${gl.url}/_sim${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: json === undefined ? undefined : JSON.stringify(json),
  });

describe("project members with roles", () => {
  it("answers members/all/:user_id with the inherited group role, and 404 for a non-member", async () => {
    const alice = await api(gl.url, memberAll(seed.users.alice), { token: T.reporter });
    expect(alice.status).toBe(200);
    expect(alice.data).toMatchObject({
      id: seed.users.alice,
      username: "alice",
      access_level: ACCESS_LEVEL.maintainer,
      state: "active",
      membership_state: "active",
    });
    expect((await api(gl.url, memberAll(seed.users.carol), { token: T.reporter })).data.access_level).toBe(
      ACCESS_LEVEL.reporter,
    );
    // Inherited only: the direct members endpoint does not know alice.
    expect(
      (await api(gl.url, `/projects/${seed.projectId}/members/${seed.users.alice}`, { token: T.reporter }))
        .status,
    ).toBe(404);
    const dave = await api(gl.url, memberAll(seed.users.dave), { token: T.reporter });
    expect(dave.status).toBe(404);
    expect(dave.data).toEqual({ message: "404 Not found" });
  });

  it("gives each role its access level, and the highest of direct and inherited wins", async () => {
    const roles = [
      ACCESS_LEVEL.guest,
      ACCESS_LEVEL.reporter,
      ACCESS_LEVEL.developer,
      ACCESS_LEVEL.maintainer,
      ACCESS_LEVEL.owner,
    ];
    expect(roles).toEqual([10, 20, 30, 40, 50]);
    for (const level of roles) {
      const id = gl.sim.createUser({ username: `user_${level}` });
      gl.sim.addMember(seed.projectId, id, level);
      const r = await api(gl.url, memberAll(id), { token: T.reporter });
      expect([r.status, r.data.access_level]).toEqual([200, level]);
    }
    gl.sim.addMember(seed.projectId, seed.users.bob, ACCESS_LEVEL.maintainer);
    expect((await api(gl.url, memberAll(seed.users.bob), { token: T.reporter })).data.access_level).toBe(
      ACCESS_LEVEL.maintainer,
    );
    gl.sim.addMember(seed.projectId, seed.users.alice, ACCESS_LEVEL.guest);
    expect((await api(gl.url, memberAll(seed.users.alice), { token: T.reporter })).data.access_level).toBe(
      ACCESS_LEVEL.maintainer,
    );
  });

  it("adds users and sets and removes roles over the control API", async () => {
    const created = await control("/users", "POST", { username: "erin", name: "Erin Developer" });
    expect(created.status).toBe(201);
    const { id: erin } = (await created.json()) as { id: number };
    expect((await api(gl.url, memberAll(erin), { token: T.reporter })).status).toBe(404);

    const project = encodeURIComponent(seed.projectPath);
    expect(
      (await control(`/projects/${project}/members`, "POST", { username: "erin", access_level: 30 })).status,
    ).toBe(201);
    expect((await api(gl.url, memberAll(erin), { token: T.reporter })).data.access_level).toBe(30);
    expect((await control(`/projects/${project}/members/erin`, "PUT", { access_level: 40 })).status).toBe(
      200,
    );
    expect(
      (await api(gl.url, `/projects/${seed.projectId}/members/${erin}`, { token: T.reporter })).data
        .access_level,
    ).toBe(40);
    expect((await control(`/projects/${project}/members/${erin}`, "DELETE")).status).toBe(200);
    expect((await api(gl.url, memberAll(erin), { token: T.reporter })).status).toBe(404);

    expect((await control(`/projects/${project}/members/erin`, "DELETE")).status).toBe(400);
    expect((await control(`/projects/${project}/members/nobody`, "PUT", { access_level: 30 })).status).toBe(
      404,
    );
    const noUser = await control(`/projects/${project}/members`, "POST", { access_level: 30 });
    expect(noUser.status).toBe(400);
    expect(await noUser.json()).toEqual({ error: "body: user_id or username is required" });
  });

  it("removes a group membership, so the inherited role disappears", async () => {
    expect((await control("/groups/acme/members/carol", "DELETE")).status).toBe(200);
    expect((await api(gl.url, memberAll(seed.users.carol), { token: T.reporter })).status).toBe(404);
  });
});
