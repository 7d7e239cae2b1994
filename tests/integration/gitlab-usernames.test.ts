import { describe, expect, it } from "vitest";
import * as meRoute from "@/app/api/v1/me/route";
import * as userRoute from "@/app/api/v1/organisations/[organisationId]/users/[userId]/route";
import * as usersRoute from "@/app/api/v1/organisations/[organisationId]/users/route";
import { prisma } from "@/lib/db/client";
import { linkedUserForGitLabUsername } from "@/lib/organisations/gitlab-usernames";
import { call, expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import { createProjectWithEnvironments, expectStatus } from "@/tests/support/flags";

// The GitLab username on a Flagpost account: set by the person on their account page or by an
// organisation admin on the users page, GitLab's username syntax, unique within an organisation.

const setMine = async (userId: number, gitlab_username: unknown) =>
  call(meRoute.PATCH, "PATCH", "/api/v1/me/", {
    headers: await sessionHeaders(userId),
    body: { gitlab_username },
  });

const setTheirs = (
  auth: { apiKey?: string; headers?: Record<string, string> },
  organisationId: number,
  userId: number,
  body: unknown,
) =>
  call(userRoute.PATCH, "PATCH", `/api/v1/organisations/${organisationId}/users/${userId}/`, {
    ...auth,
    params: { organisationId, userId },
    body,
  });

describe("GitLab usernames of Flagpost users", () => {
  it("people set their own (a leading @ dropped), read it on /me, and clear it; the change is audited", async () => {
    const { admin, organisation } = await seedOrganisation();
    const me = expectStatus(await setMine(admin.id, " @Alice.Smith "), 200);
    expect(me).toMatchObject({ id: admin.id, gitlab_username: "Alice.Smith" });
    const read = expectStatus(
      await call(meRoute.GET, "GET", "/api/v1/me/", { headers: await sessionHeaders(admin.id) }),
      200,
    );
    expect(read.gitlab_username).toBe("Alice.Smith");
    expect((await linkedUserForGitLabUsername(prisma, organisation.id, "alice.smith"))?.id).toBe(admin.id);

    expect(expectStatus(await setMine(admin.id, ""), 200).gitlab_username).toBeNull();
    expect(await linkedUserForGitLabUsername(prisma, organisation.id, "alice.smith")).toBeNull();
    const audit = await prisma.auditLog.findMany({
      where: {
        organisationId: organisation.id,
        entityType: "user",
        entityId: String(admin.id),
        summary: { contains: "GitLab" },
      },
      orderBy: { id: "asc" },
    });
    expect(audit.map((row) => row.summary)).toEqual([
      `Linked ${admin.email} to GitLab user @Alice.Smith`,
      `Unlinked ${admin.email} from GitLab user @Alice.Smith`,
    ]);
  });

  it("refuses what GitLab would not accept as a username, and API keys (no account)", async () => {
    const { admin, apiKey } = await seedOrganisation();
    for (const bad of ["-alice", "alice-", "al..ice", "al ice", "alice.git", "ali$e", "a".repeat(256), 42]) {
      const answer = await setMine(admin.id, bad);
      expectError(answer, 422, "unprocessable_entity");
      expect(JSON.stringify(answer.body.error.details)).toContain("gitlab_username");
    }
    expect(expectStatus(await setMine(admin.id, "a_1-b.c"), 200).gitlab_username).toBe("a_1-b.c");
    expectError(
      await call(meRoute.PATCH, "PATCH", "/api/v1/me/", { apiKey, body: { gitlab_username: "bot" } }),
      403,
      "forbidden",
    );
  });

  it("is unique within an organisation (whatever the case), not across organisations", async () => {
    const { admin, organisation, apiKey } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, []);
    const member = await seedProjectMember(organisation.id, project.id, "EDITOR");
    const stranger = await seedOrganisation();
    expectStatus(await setMine(admin.id, "alice"), 200);
    const taken = await setMine(member.id, "ALICE");
    expectError(taken, 409, "conflict");
    expect(taken.body.error.message).toContain("already has the GitLab username @ALICE");
    // Named the way every 409 names its field, so the dialog shows it under the GitLab username.
    expect(taken.body.error.details).toEqual({ fields: ["gitlab_username"] });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: member.id } })).gitlabUsername).toBeNull();
    expect(expectStatus(await setMine(stranger.admin.id, "alice"), 200).gitlab_username).toBe("alice");
    // Each organisation finds its own Alice.
    expect((await linkedUserForGitLabUsername(prisma, organisation.id, "Alice"))?.id).toBe(admin.id);
    expect((await linkedUserForGitLabUsername(prisma, stranger.organisation.id, "Alice"))?.id).toBe(
      stranger.admin.id,
    );
  });

  it("an organisation admin sets anyone's on the users page; members may not; the list shows it", async () => {
    const { admin, organisation, apiKey } = await seedOrganisation();
    const { project } = await createProjectWithEnvironments(apiKey, []);
    const member = await seedProjectMember(organisation.id, project.id, "EDITOR");
    const updated = expectStatus(
      await setTheirs({ headers: await sessionHeaders(admin.id) }, organisation.id, member.id, {
        gitlab_username: "bob",
      }),
      200,
    );
    expect(updated).toMatchObject({ id: member.id, role: "MEMBER", gitlab_username: "bob" });
    expectError(
      await setTheirs({ headers: await sessionHeaders(member.id) }, organisation.id, admin.id, {
        gitlab_username: "mallory",
      }),
      403,
    );
    expectError(
      await setTheirs({ apiKey }, organisation.id, admin.id, { gitlab_username: "Bob" }),
      409,
      "conflict",
    );
    expectError(await setTheirs({ apiKey }, organisation.id, admin.id, { gitlab_username: "b..b" }), 422);
    // A role change alone leaves the username as it is.
    expect(
      expectStatus(await setTheirs({ apiKey }, organisation.id, member.id, { role: "ADMIN" }), 200),
    ).toMatchObject({ role: "ADMIN", gitlab_username: "bob" });
    const list = expectStatus(
      await call(usersRoute.GET, "GET", `/api/v1/organisations/${organisation.id}/users/`, {
        apiKey,
        params: { organisationId: organisation.id },
      }),
      200,
    );
    expect(
      list.results.map((row: { id: number; gitlab_username: string | null }) => [
        row.id,
        row.gitlab_username,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [admin.id, null],
        [member.id, "bob"],
      ]),
    );
  });
});
