import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { desiredTags, syncFeatureGitLabTags } from "@/lib/gitlab/links/feature-tags";
import { gitlabSystemTag } from "@/lib/gitlab/links/system-tags";
import { WEBHOOK_ACTOR } from "@/lib/gitlab/webhooks/apply-delivery";
import { createFeature } from "@/tests/support/flags";
import {
  fixture,
  fixtureEvents,
  issuePayload,
  linkItem,
  mergeRequestPayload,
  postWebhook,
  projectSnapshot,
  setupWebhookProject,
  tagLabels,
  type WebhookAnswer,
} from "@/tests/support/gitlab-webhooks";

// Hostile and chaotic input. The fuzz run posts 1,000 seeded random mutations of the recorded
// payloads (wrong types, missing keys, huge strings, deep nesting, invalid UTF-8, wrong content
// types, odd headers): never a 5xx, and nothing but an "applied" answer may change links or tags.
// Set FUZZ_SEED to replay a failing run. The concurrency runs race 50 deliveries for one feature.

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const RUNS = 1000;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
type Random = ReturnType<typeof prng>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Paths of every value in a document, e.g. ["object_attributes", "labels", 0, "title"]. */
function paths(
  value: Json,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (prefix.length) out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, index) => paths(item, [...prefix, index], out));
  else if (value && typeof value === "object")
    for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out);
  return out;
}

function setAt(doc: Json, path: (string | number)[], value: Json | undefined) {
  let node = doc as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
}

/** The fields the receiver reads: mutated more often than the rest of the body. */
const READ_PATHS = [
  ["object_kind"],
  ["user"],
  ["user", "id"],
  ["user", "username"],
  ["project"],
  ["project", "id"],
  ["project", "path_with_namespace"],
  ["object_attributes"],
  ["object_attributes", "iid"],
  ["object_attributes", "state"],
  ["object_attributes", "state_id"],
  ["object_attributes", "action"],
  ["object_attributes", "title"],
  ["object_attributes", "draft"],
  ["object_attributes", "work_in_progress"],
  ["object_attributes", "updated_at"],
  ["object_attributes", "closed_at"],
  ["object_attributes", "project_id"],
  ["object_attributes", "target_project_id"],
  ["object_attributes", "type"],
  ["object_attributes", "url"],
  ["object_attributes", "labels"],
  ["object_attributes", "assignee_ids"],
  ["labels"],
  ["labels", 0],
  ["labels", 0, "title"],
  ["assignees"],
  ["assignees", 0, "username"],
];

function randomValue(random: Random, depth = 0): Json {
  switch (random.int(depth > 2 ? 6 : 8)) {
    case 0:
      return null;
    case 1:
      return random.next() < 0.5;
    case 2:
      return random.pick([0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, Number.MAX_VALUE, 42]);
    case 3:
      return random.pick([
        "",
        "opened",
        "closed",
        "merged",
        "locked",
        "2018-09-15 19:05:12 UTC",
        "not a date",
        "\u0000nul",
        "\ud800lone",
        "🚩".repeat(10),
      ]);
    case 4:
      return String(random.int(1000));
    case 5:
      return random.pick(["Issue Hook", "merge_request", "work_item", "note", "Epic", "Task"]);
    case 6:
      return Array.from({ length: random.int(4) }, () => randomValue(random, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: random.int(4) }, (_, n) => [`k${n}`, randomValue(random, depth + 1)]),
      );
  }
}

interface Variant {
  kind: string;
  body: string | Uint8Array;
  event: string | null;
  token?: string | null;
  contentType?: string;
  idempotencyKey?: string;
}

const DEEP_MARK = "__deep_nesting__";
const encoder = new TextEncoder();

function mutate(random: Random, file: string, event: string, index: number): Variant {
  const doc = fixture(file) as Json;
  const all = paths(doc);
  const target = () => (random.next() < 0.5 ? random.pick(READ_PATHS) : random.pick(all));
  const exists = (path: (string | number)[]) =>
    all.some((candidate) => candidate.join("\u0001") === path.join("\u0001"));
  const variant: Variant = { kind: "", body: "", event, idempotencyKey: `fuzz-${index}` };
  const mutations = 1 + random.int(3);
  const kinds: string[] = [];
  for (let n = 0; n < mutations; n += 1) {
    const path = target();
    const kind = random.pick([
      "wrong-type",
      "missing-key",
      "huge-string",
      "deep-nesting",
      "wrong-type",
      "missing-key",
    ] as const);
    kinds.push(kind);
    if (!exists(path) && kind !== "wrong-type") continue;
    try {
      if (kind === "wrong-type") setAt(doc, path, randomValue(random));
      else if (kind === "missing-key") setAt(doc, path, undefined);
      else if (kind === "huge-string")
        setAt(doc, path, "A".repeat(random.pick([300, 5_000, 200_000, 1_100_000])));
      else setAt(doc, path, DEEP_MARK);
    } catch {
      // The path vanished with an earlier mutation: keep the document as it is.
    }
  }
  let text = JSON.stringify(doc) ?? "null";
  if (text.includes(`"${DEEP_MARK}"`)) {
    const depth = random.pick([64, 5_000, 50_000]);
    const [open, close] = random.next() < 0.5 ? ["[", "]"] : ['{"a":', "}"];
    text = text.replace(`"${DEEP_MARK}"`, `${open.repeat(depth)}1${close.repeat(depth)}`);
  }
  // Transport-level damage.
  const damage = random.int(10);
  if (damage === 0) {
    kinds.push("truncated");
    text = text.slice(0, random.int(text.length));
  }
  variant.body = text;
  if (damage === 1 || damage === 2) {
    kinds.push("invalid-utf8");
    const bytes = encoder.encode(text);
    const at = random.int(bytes.length);
    const junk = random.pick([[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x00], [0xc0, 0xaf]]);
    variant.body = new Uint8Array([...bytes.subarray(0, at), ...junk, ...bytes.subarray(at)]);
  }
  if (damage === 3) {
    kinds.push("wrong-content-type");
    variant.contentType = random.pick([
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=latin1",
    ]);
  }
  if (damage === 4) {
    kinds.push("odd-headers");
    variant.event = random.pick([
      null,
      "Push Hook",
      "issue hook",
      "Merge Request Hook",
      "Issue Hook",
      "\u00e9vent",
    ]);
    variant.idempotencyKey = random.pick(["fuzz-dup", `${"x".repeat(500)}-${index}`, "cl\u00e9 \u00ff"]);
  }
  if (damage === 5 && random.next() < 0.3) {
    kinds.push("bad-token");
    variant.token = random.pick([null, "", "wrong"]);
  }
  variant.kind = `${file}: ${kinds.join(", ")}`;
  return variant;
}

async function expectTagsMatchLinks(projectId: number) {
  const features = await prisma.feature.findMany({
    where: { projectId },
    include: { externalResources: true },
  });
  for (const feature of features) {
    const wanted = desiredTags(feature.externalResources);
    const labels = [wanted.issue, wanted.merge_request]
      .flatMap((key) => (key ? [gitlabSystemTag(key).label] : []))
      .sort();
    expect(await tagLabels(feature.id), feature.name).toEqual(labels);
  }
}

describe("fuzzing the receiver with mutated GitLab payloads", () => {
  // A thousand deliveries through the whole pipeline: room for a loaded CI machine.
  it(`never answers 5xx and never changes state for an invalid delivery (${RUNS} variants, seed ${SEED})`, async () => {
    const { projectId, apiKey } = await setupWebhookProject();
    const fixtures = fixtureEvents();
    // A feature per fixture linking its item, so valid variants really apply.
    for (const { file } of fixtures) {
      const body = fixture(file);
      const attrs = body.object_attributes;
      if (!attrs?.iid || !body.project) continue;
      const feature = await createFeature(apiKey, projectId, { name: `fuzz_${file.replace(/\W/g, "_")}` });
      await linkItem(feature.id, {
        type: body.object_kind === "merge_request" ? "GITLAB_MR" : "GITLAB_ISSUE",
        gitlabProjectId: body.project.id ?? attrs.project_id,
        projectPath: body.project.path_with_namespace,
        iid: attrs.iid,
      });
    }
    const featureIds = (await prisma.feature.findMany({ where: { projectId }, select: { id: true } })).map(
      (feature) => feature.id,
    );
    await prisma.$transaction((tx) => syncFeatureGitLabTags(tx, projectId, featureIds, WEBHOOK_ACTOR));

    const random = prng(SEED);
    const statuses = new Map<number, number>();
    const outcomes = new Map<string, number>();
    let snapshot = await projectSnapshot(projectId);
    for (let index = 0; index < RUNS; index += 1) {
      const { file, event } = random.pick(fixtures);
      const variant = mutate(random, file, event, index);
      let answer: WebhookAnswer;
      try {
        answer = await postWebhook(projectId, variant.body, {
          event: variant.event,
          token: variant.token,
          contentType: variant.contentType,
          idempotencyKey: variant.idempotencyKey,
        });
      } catch (error) {
        throw new Error(`variant ${index} (${variant.kind}) threw: ${(error as Error).message}`);
      }
      const label = `variant ${index} (${variant.kind}) → ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      expect([200, 400, 401, 413], label).toContain(answer.status);
      const outcome =
        answer.status === 200 ? answer.body.status : `${answer.status} ${answer.body.error.code}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      const after = await projectSnapshot(projectId);
      if (outcome === "applied") snapshot = after;
      else expect(after, label).toBe(snapshot);
    }
    await expectTagsMatchLinks(projectId);
    // The mix must exercise every path, or the run proves little.
    expect([...statuses.keys()].sort()).toEqual([200, 400, 401, 413]);
    expect(outcomes.get("applied")).toBeGreaterThan(50);
    expect(outcomes.get("400 bad_request")).toBeGreaterThan(200);
    expect(outcomes.get("ignored")).toBeGreaterThan(20);
    console.info(`fuzz seed ${SEED}: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    const errors = await prisma.webhookDelivery.count({ where: { projectId, result: "ERROR" } });
    expect(errors).toBe(
      (outcomes.get("400 bad_request") ?? 0) + (outcomes.get("413 payload_too_large") ?? 0),
    );
    // Validation, not a database failure, must be what refuses bad input.
    expect(
      await prisma.webhookDelivery.count({
        where: { projectId, reason: { startsWith: "Flagpost could not apply" } },
      }),
    ).toBe(0);
  }, 300_000);
});

describe("concurrent deliveries", () => {
  it("ends on the tag of the final GitLab state when 50 open/close deliveries for one feature race", async () => {
    const { projectId, apiKey } = await setupWebhookProject();
    const feature = await createFeature(apiKey, projectId, { name: "racing" });
    await linkItem(feature.id, {
      type: "GITLAB_ISSUE",
      gitlabProjectId: 1000,
      projectPath: "acme/web",
      iid: 1,
    });
    const random = prng(SEED + 1);
    const base = Date.UTC(2026, 3, 1);
    const events = Array.from({ length: 50 }, (_, n) => {
      const state = random.next() < 0.5 ? "closed" : "opened";
      return {
        n,
        state,
        payload: issuePayload({
          iid: 1,
          state,
          action: state === "closed" ? "close" : "reopen",
          updatedAt: new Date(base + n * 1000),
        }),
      };
    });
    // Arrival order is random; GitLab's updated_at order is n.
    const shuffled = [...events].sort(() => random.next() - 0.5);
    const answers = await Promise.all(
      shuffled.map((event) => postWebhook(projectId, event.payload, { idempotencyKey: `race-${event.n}` })),
    );
    expect(
      answers.every((answer) => answer.status === 200 && ["applied", "ignored"].includes(answer.body.status)),
    ).toBe(true);
    const final = events.at(-1)!.state;
    expect(await tagLabels(feature.id)).toEqual([final === "closed" ? "Issue Closed" : "Issue Open"]);
    expect(
      await prisma.externalResource.findFirstOrThrow({ where: { featureId: feature.id } }),
    ).toMatchObject({ state: final, gitlabUpdatedAt: new Date(base + 49_000) });
    expect(
      await prisma.webhookDelivery.count({ where: { projectId, result: { in: ["APPLIED", "IGNORED"] } } }),
    ).toBe(50);
  });

  it("does not deadlock when deliveries for two items shared by two features interleave", async () => {
    const { projectId, apiKey } = await setupWebhookProject();
    const features = [
      await createFeature(apiKey, projectId, { name: "left" }),
      await createFeature(apiKey, projectId, { name: "right" }),
    ];
    for (const feature of features) {
      await linkItem(feature.id, {
        type: "GITLAB_ISSUE",
        gitlabProjectId: 1000,
        projectPath: "acme/web",
        iid: 2,
      });
      await linkItem(feature.id, {
        type: "GITLAB_MR",
        gitlabProjectId: 1000,
        projectPath: "acme/web",
        iid: 2,
      });
    }
    const base = Date.UTC(2026, 3, 2);
    const deliveries = Array.from({ length: 50 }, (_, n) =>
      n % 2 === 0
        ? postWebhook(
            projectId,
            issuePayload({
              iid: 2,
              state: n % 4 === 0 ? "closed" : "opened",
              updatedAt: new Date(base + n * 1000),
            }),
            { idempotencyKey: `pair-${n}` },
          )
        : postWebhook(
            projectId,
            mergeRequestPayload({
              iid: 2,
              state: "opened",
              draft: n % 3 === 0,
              updatedAt: new Date(base + n * 1000),
            }),
            {
              event: "Merge Request Hook",
              idempotencyKey: `pair-${n}`,
            },
          ),
    );
    const answers = await Promise.all(deliveries);
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
    // Last issue event n=48 (48 % 4 === 0: closed); last MR event n=49 (not a multiple of 3: ready).
    for (const feature of features) expect(await tagLabels(feature.id)).toEqual(["Issue Closed", "MR Open"]);
  });
});
