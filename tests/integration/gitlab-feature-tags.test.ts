import { describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db/client";
import { syncFeatureGitLabTags } from "@/lib/gitlab/links/feature-tags";
import { seedOrganisation } from "@/tests/support/api";

const system = { kind: "system" as const, label: "GitLab webhook" };

async function setup(taggingEnabled = true) {
  const { organisation } = await seedOrganisation();
  const project = await prisma.project.create({
    data: { name: `Tags ${Math.random()}`, organisationId: organisation.id },
  });
  await prisma.gitLabIntegration.create({
    data: {
      projectId: project.id,
      liveProjectId: project.id,
      instanceUrl: "https://gitlab.example.com",
      encryptedToken: encryptSecret("glpat-x"),
      encryptedWebhookSecret: encryptSecret("s"),
      taggingEnabled,
    },
  });
  const feature = await prisma.feature.create({ data: { projectId: project.id, name: "checkout" } });
  return { project, feature };
}

const tagLabels = async (featureId: number) =>
  (await prisma.featureTag.findMany({ where: { featureId }, include: { tag: true } }))
    .map((row) => row.tag.label)
    .sort();

function link(
  featureId: number,
  type: "GITLAB_ISSUE" | "GITLAB_MR",
  iid: number,
  state: string,
  draft = false,
) {
  return prisma.externalResource.create({
    data: {
      featureId,
      type,
      iid,
      state,
      draft,
      gitlabProjectId: 1000,
      gitlabProjectPath: "acme/web",
      url: `https://gitlab.example.com/acme/web/-/issues/${iid}`,
    },
  });
}

describe("syncing GitLab tags onto features", () => {
  it("creates the six system tags and applies one issue tag and one MR tag, auditing the change", async () => {
    const { project, feature } = await setup();
    await link(feature.id, "GITLAB_ISSUE", 1, "opened");
    await link(feature.id, "GITLAB_ISSUE", 2, "closed");
    await link(feature.id, "GITLAB_MR", 3, "opened", true);
    const changes = await prisma.$transaction((tx) =>
      syncFeatureGitLabTags(tx, project.id, [feature.id], system),
    );
    expect(
      await prisma.tag.count({
        where: { projectId: project.id, type: "GITLAB", isSystemTag: true, color: "#FC6D26" },
      }),
    ).toBe(6);
    expect(await tagLabels(feature.id)).toEqual(["Issue Open", "MR Draft"]);
    expect(changes).toEqual([
      {
        featureId: feature.id,
        featureName: "checkout",
        added: expect.arrayContaining(["Issue Open", "MR Draft"]),
        removed: [],
      },
    ]);
    const audit = await prisma.auditLog.findFirstOrThrow({
      where: { featureId: feature.id, entityType: "feature_tags" },
    });
    expect(audit.actorLabel).toBe("GitLab webhook");
  });

  it("replaces a tag when the state changes, keeps user tags, and is a no-op when nothing changed", async () => {
    const { project, feature } = await setup();
    const userTag = await prisma.tag.create({ data: { projectId: project.id, label: "team-a" } });
    await prisma.featureTag.create({ data: { featureId: feature.id, tagId: userTag.id } });
    const mr = await link(feature.id, "GITLAB_MR", 3, "opened", true);
    await prisma.$transaction((tx) => syncFeatureGitLabTags(tx, project.id, [feature.id], system));
    await prisma.externalResource.update({ where: { id: mr.id }, data: { draft: false } });
    await prisma.$transaction((tx) => syncFeatureGitLabTags(tx, project.id, [feature.id], system));
    expect(await tagLabels(feature.id)).toEqual(["MR Open", "team-a"]);
    expect(
      await prisma.$transaction((tx) => syncFeatureGitLabTags(tx, project.id, [feature.id], system)),
    ).toEqual([]);
    await prisma.externalResource.delete({ where: { id: mr.id } });
    await prisma.$transaction((tx) => syncFeatureGitLabTags(tx, project.id, [feature.id], system));
    expect(await tagLabels(feature.id)).toEqual(["team-a"]);
  });

  it("does nothing with tagging off", async () => {
    const { project, feature } = await setup(false);
    await link(feature.id, "GITLAB_ISSUE", 1, "opened");
    expect(
      await prisma.$transaction((tx) => syncFeatureGitLabTags(tx, project.id, [feature.id], system)),
    ).toEqual([]);
    expect(await tagLabels(feature.id)).toEqual([]);
  });

  it("ends on the tag of the final state when many transactions race on one feature", async () => {
    const { project, feature } = await setup();
    const issue = await link(feature.id, "GITLAB_ISSUE", 1, "opened");
    const states = Array.from({ length: 30 }, (_, n) => (n % 2 === 0 ? "closed" : "opened"));
    await Promise.all(
      states.map((state, n) =>
        prisma.$transaction(
          async (tx) => {
            // Lock first, like the webhook handler, so updates apply in commit order.
            await tx.$queryRaw`SELECT id FROM features WHERE id = ${feature.id} FOR UPDATE`;
            await tx.externalResource.update({
              where: { id: issue.id },
              data: { state, gitlabUpdatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)) },
            });
            await syncFeatureGitLabTags(tx, project.id, [feature.id], system);
            // 30 transactions queue for a pool of 5 connections, one at a time behind the row lock:
            // waiting for a connection is the point here, not a failure.
          },
          { maxWait: 60_000, timeout: 60_000 },
        ),
      ),
    );
    const finalState = (await prisma.externalResource.findUniqueOrThrow({ where: { id: issue.id } })).state;
    expect(await tagLabels(feature.id)).toEqual([finalState === "closed" ? "Issue Closed" : "Issue Open"]);
  });
});
