// npm run bench:links [-- --postgres] [--runs N]
// Lists one feature with 200 linked GitLab items spread over 5 GitLab projects (both kinds) through
// the real route handler, against the in-process GitLab simulator, and prints how many GitLab
// requests a listing costs and how long it takes: cold (all metadata stale, so it is re-read) and
// warm (served from the cache). Exits non-zero if a cold listing needs more than 2 GitLab requests
// per project and kind (the N+1 guard).
import { performance } from "node:perf_hooks";
import { openBenchDatabase, prepareBenchEnv } from "./lib/in-process-bench";

const args = process.argv.slice(2);
const usePostgres = args.includes("--postgres");
const runsArg = args.indexOf("--runs");
const RUNS = runsArg >= 0 ? Math.max(1, Number(args[runsArg + 1]) || 7) : 7;
const GITLAB_PROJECTS = 5;
const ITEMS_PER_KIND = 20; // per project: 20 issues + 20 merge requests → 200 links
const MAX_REQUESTS_PER_GROUP = 2;

const dataDir = prepareBenchEnv("links", { worker: false });

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function main() {
  const { startGitLabSimulator } = await import("@/tools/gitlab-sim/server");
  const { DEMO_TOKENS } = await import("@/tools/gitlab-sim/seed");
  const { prisma } = await import("@/lib/db/client");
  const { encryptSecret } = await import("@/lib/crypto/secret-box");
  const { createApiKey } = await import("@/lib/auth/api-keys");
  const linksRoute =
    await import("@/app/api/v1/projects/[projectId]/features/[featureId]/feature-external-resources/route");

  const database = await openBenchDatabase(dataDir, usePostgres);
  const gl = await startGitLabSimulator({ port: 0 });

  try {
    // GitLab: 5 projects with 20 issues and 20 merge requests each, seen by the demo group token.
    const seed = gl.sim.seedDemo();
    const gitlabProjects: { id: number; path: string }[] = [];
    for (let n = 1; n <= GITLAB_PROJECTS; n++) {
      const projectPath = `acme/bench/service-${n}`;
      const id = gl.sim.createProject({ path_with_namespace: projectPath, name: `Service ${n}` });
      for (let i = 1; i <= ITEMS_PER_KIND; i++) {
        gl.sim.createIssue(id, {
          title: `Issue ${i} of service ${n}`,
          labels: ["bench"],
          state: i % 3 === 0 ? "closed" : "opened",
          author_id: seed.users.alice,
        });
        gl.sim.createMergeRequest(id, {
          title: `MR ${i} of service ${n}`,
          source_branch: `bench/${i}`,
          state: i % 4 === 0 ? "merged" : "opened",
          author_id: seed.users.bob,
        });
      }
      gitlabProjects.push({ id, path: projectPath });
    }

    // Flagpost: one project connected to the simulator, one feature with 200 links (rows written
    // directly; their cached metadata is placeholder text so the first cold listing rewrites it).
    const organisation = await prisma.organisation.create({ data: { name: "Bench" } });
    const { key } = await createApiKey(organisation.id, "bench");
    const project = await prisma.project.create({ data: { name: "Bench", organisationId: organisation.id } });
    await prisma.gitLabIntegration.create({
      data: {
        projectId: project.id,
        liveProjectId: project.id,
        instanceUrl: gl.url,
        encryptedToken: encryptSecret(DEMO_TOKENS.maintainer),
        encryptedWebhookSecret: encryptSecret("bench"),
        gitlabProjectId: gitlabProjects[0]!.id,
        gitlabProjectPath: gitlabProjects[0]!.path,
        taggingEnabled: true,
      },
    });
    const feature = await prisma.feature.create({ data: { projectId: project.id, name: "bench-feature" } });
    const longAgo = new Date(Date.now() - 3_600_000);
    await prisma.externalResource.createMany({
      data: gitlabProjects.flatMap((gitlabProject) =>
        (["GITLAB_ISSUE", "GITLAB_MR"] as const).flatMap((type) =>
          Array.from({ length: ITEMS_PER_KIND }, (_, index) => ({
            featureId: feature.id,
            type,
            iid: index + 1,
            gitlabProjectId: gitlabProject.id,
            gitlabProjectPath: gitlabProject.path,
            url: `${gl.url}/${gitlabProject.path}/-/${type === "GITLAB_MR" ? "merge_requests" : "issues"}/${index + 1}`,
            title: "(not read yet)",
            metadataRefreshedAt: longAgo,
          })),
        ),
      ),
    });
    const links = await prisma.externalResource.count({ where: { featureId: feature.id } });

    const list = async () => {
      const req = new Request(
        `http://localhost:3000/api/v1/projects/${project.id}/features/${feature.id}/feature-external-resources/`,
        {
          headers: { authorization: `Api-Key ${key}` },
        },
      );
      const started = performance.now();
      const res = await linksRoute.GET(req, {
        params: Promise.resolve({ projectId: String(project.id), featureId: String(feature.id) }),
      });
      const body = (await res.json()) as { results: { metadata: { stale: boolean } }[] };
      const elapsed = performance.now() - started;
      if (res.status !== 200 || body.results.length !== links)
        throw new Error(`Listing answered ${res.status} with ${body.results?.length} rows`);
      if (body.results.some((row) => row.metadata.stale))
        throw new Error("GitLab did not answer the refresh: rows came back stale");
      return elapsed;
    };
    const makeStale = () =>
      prisma.externalResource.updateMany({
        where: { featureId: feature.id },
        data: { metadataRefreshedAt: longAgo },
      });

    // The first listing rewrites every row (the placeholders differ from GitLab); it also warms up
    // the JIT and the connection pool, so it is reported apart.
    const first = await list();

    const cold: number[] = [];
    let worstRequests = 0;
    let worstPerGroup = 0;
    for (let run = 0; run < RUNS; run++) {
      await makeStale();
      gl.sim.clearRequests();
      cold.push(await list());
      const requests = gl.sim.requests();
      const perGroup = new Map<string, number>();
      for (const request of requests) perGroup.set(request.path, (perGroup.get(request.path) ?? 0) + 1);
      worstRequests = Math.max(worstRequests, requests.length);
      worstPerGroup = Math.max(worstPerGroup, ...perGroup.values());
    }

    const warm: number[] = [];
    gl.sim.clearRequests();
    for (let run = 0; run < RUNS * 3; run++) warm.push(await list());
    const warmRequests = gl.sim.requests().length;

    const groups = GITLAB_PROJECTS * 2;
    console.log(
      `bench:links — ${links} links over ${GITLAB_PROJECTS} GitLab projects × 2 kinds, ${database.label}`,
    );
    console.log(
      `  GitLab requests per cold listing: ${worstRequests} (${groups} project/kind groups; at most ${worstPerGroup} per group, limit ${MAX_REQUESTS_PER_GROUP})`,
    );
    console.log(`  GitLab requests over ${warm.length} warm listings: ${warmRequests}`);
    console.log(`  first listing (all ${links} rows re-read and rewritten): ${ms(first)}`);
    console.log(
      `  cold (stale, re-read from GitLab), ${cold.length} runs: median ${ms(percentile(cold, 50))}, p95 ${ms(percentile(cold, 95))}`,
    );
    console.log(
      `  warm (cached), ${warm.length} runs: median ${ms(percentile(warm, 50))}, p95 ${ms(percentile(warm, 95))}`,
    );

    if (
      worstPerGroup > MAX_REQUESTS_PER_GROUP ||
      worstRequests > groups * MAX_REQUESTS_PER_GROUP ||
      warmRequests > 0
    ) {
      console.error(
        "FAIL: listing linked items makes more GitLab requests than one per GitLab project and kind",
      );
      process.exitCode = 1;
    }
  } finally {
    await gl.close();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
