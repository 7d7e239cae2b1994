import { describe, expect, it } from "vitest";
import * as segmentRoute from "@/app/api/v1/projects/[projectId]/segments/[segmentId]/route";
import * as segmentsRoute from "@/app/api/v1/projects/[projectId]/segments/route";
import * as testRoute from "@/app/api/v1/projects/[projectId]/segments/test/route";
import { prisma } from "@/lib/db/client";
import { call, expectError, seedOrganisation, seedProjectMember, sessionHeaders } from "@/tests/support/api";
import { createProjectWithEnvironments, expectStatus, type TestEnvironment } from "@/tests/support/flags";

// Segment rules in Flagsmith's model: validated by the shared schema on create and update (422 with
// the field path, nothing stored), and the segment tester evaluating (unsaved) rules for traits.

const condition = (property: string, operator: string, value: unknown) => ({ property, operator, value });
const rule = (type: string, conditions: unknown[] = [], rules: unknown[] = []) => ({
  type,
  conditions,
  rules,
});

function nested(depth: number): unknown {
  let current = rule("ALL", [condition("plan", "EQUAL", "pro")]);
  for (let level = 1; level < depth; level += 1) current = rule("ALL", [], [current]);
  return current;
}

async function setUp() {
  const { apiKey, organisation } = await seedOrganisation();
  const { project, environments } = await createProjectWithEnvironments(apiKey, ["Production"]);
  return { apiKey, organisation, projectId: project.id, production: environments[0] as TestEnvironment };
}

describe("segment rules", () => {
  it("stores a valid nested rule tree and reads it back", async () => {
    const { apiKey, projectId } = await setUp();
    const rules = [
      rule(
        "ALL",
        [],
        [
          rule("ANY", [
            condition("plan", "EQUAL", "pro"),
            condition("$.identity.identifier", "IN", "ada,grace"),
          ]),
          rule("NONE", [condition("age", "LESS_THAN", "18")]),
        ],
      ),
    ];
    const created = expectStatus(
      await call(segmentsRoute.POST, "POST", "/", {
        apiKey,
        params: { projectId },
        body: { name: "adults", rules },
      }),
      201,
    );
    expect(created.rules).toMatchObject(rules);
    expect(created.legacy_rules).toBeNull();
    const read = expectStatus(
      await call(segmentRoute.GET, "GET", "/", { apiKey, params: { projectId, segmentId: created.id } }),
      200,
    );
    expect(read.rules).toEqual(created.rules);
  });

  it.each([
    [
      "an unknown operator",
      [rule("ALL", [condition("plan", "LIKE", "pro")])],
      /^body\.rules\.0\.conditions\.0/,
    ],
    ["an unknown rule type", [rule("SOME", [condition("plan", "EQUAL", "pro")])], /^body\.rules\.0/],
    [
      "a REGEX that does not compile",
      [rule("ALL", [condition("email", "REGEX", "([a-z")])],
      /^body\.rules\.0\.conditions\.0/,
    ],
    [
      "MODULO without a divisor",
      [rule("ALL", [condition("n", "MODULO", "3")])],
      /^body\.rules\.0\.conditions\.0/,
    ],
    ["nesting over 10 levels", [nested(11)], /^body\.rules/],
    [
      "more than 100 conditions",
      [
        rule(
          "ANY",
          Array.from({ length: 101 }, (_, i) => condition(`t${i}`, "EQUAL", "x")),
        ),
      ],
      /^body\.rules/,
    ],
  ])("refuses %s with 422 and the field path, storing nothing", async (_name, rules, field) => {
    const { apiKey, projectId } = await setUp();
    const created = await call(segmentsRoute.POST, "POST", "/", {
      apiKey,
      params: { projectId },
      body: { name: "bad", rules },
    });
    expectError(created, 422, "unprocessable_entity");
    expect(
      created.body.error.details.some((issue: { field: string }) => field.test(issue.field)),
      JSON.stringify(created.body),
    ).toBe(true);
    expect(await prisma.segment.count({ where: { projectId } })).toBe(0);

    const segment = expectStatus(
      await call(segmentsRoute.POST, "POST", "/", { apiKey, params: { projectId }, body: { name: "ok" } }),
      201,
    );
    const updated = await call(segmentRoute.PATCH, "PATCH", "/", {
      apiKey,
      params: { projectId, segmentId: segment.id },
      body: { rules },
    });
    expectError(updated, 422, "unprocessable_entity");
    expect((await prisma.segment.findUniqueOrThrow({ where: { id: segment.id } })).rules).toEqual([]);

    const tested = await call(testRoute.POST, "POST", "/", {
      apiKey,
      params: { projectId },
      body: { rules, traits: {} },
    });
    expectError(tested, 422, "unprocessable_entity");
  });

  it("accepts ten levels of nesting and exactly 100 conditions", async () => {
    const { apiKey, projectId } = await setUp();
    expectStatus(
      await call(segmentsRoute.POST, "POST", "/", {
        apiKey,
        params: { projectId },
        body: { name: "deep", rules: [nested(10)] },
      }),
      201,
    );
    const hundred = [
      rule(
        "ANY",
        Array.from({ length: 100 }, (_, i) => condition(`t${i}`, "EQUAL", "x")),
      ),
    ];
    expectStatus(
      await call(segmentsRoute.POST, "POST", "/", {
        apiKey,
        params: { projectId },
        body: { name: "wide", rules: hundred },
      }),
      201,
    );
  });

  it("tests rules against traits without storing anything; viewers may test", async () => {
    const { apiKey, organisation, projectId, production } = await setUp();
    const rules = [
      rule("ALL", [condition("plan", "EQUAL", "pro"), condition("age", "GREATER_THAN_INCLUSIVE", "18")]),
    ];
    const test = async (body: unknown, headers?: Record<string, string>) =>
      call(testRoute.POST, "POST", "/", {
        ...(headers ? { headers } : { apiKey }),
        params: { projectId },
        body,
      });
    expect(expectStatus(await test({ rules, traits: { plan: "pro", age: 30 } }), 200)).toEqual({
      matches: true,
    });
    expect(expectStatus(await test({ rules, traits: { plan: "pro", age: 12 } }), 200)).toEqual({
      matches: false,
    });
    expect(expectStatus(await test({ rules, traits: { plan: "free", age: 30 } }), 200)).toEqual({
      matches: false,
    });
    // A missing trait only matches IS_NOT_SET.
    expect(
      expectStatus(
        await test({ rules: [rule("ALL", [condition("plan", "IS_NOT_SET", null)])], traits: {} }),
        200,
      ),
    ).toEqual({ matches: true });
    // Context properties: the environment's name and the identifier.
    const byContext = [
      rule("ALL", [
        condition("$.environment.name", "EQUAL", "Production"),
        condition("$.identity.identifier", "EQUAL", "ada"),
      ]),
    ];
    expect(
      expectStatus(await test({ rules: byContext, identifier: "ada", environment: production.api_key }), 200),
    ).toEqual({ matches: true });
    expect(
      expectStatus(await test({ rules: byContext, identifier: "bob", environment: production.api_key }), 200),
    ).toEqual({ matches: false });
    const unknownEnvironment = await test({ rules, environment: "not-here" });
    expectError(unknownEnvironment, 422);
    expect(unknownEnvironment.body.error.details).toEqual([
      { field: "body.environment", issue: expect.any(String) },
    ]);
    const longTrait = await test({ rules, traits: { bio: "x".repeat(2049) } });
    expectError(longTrait, 422);
    expect(longTrait.body.error.details[0].field).toBe("body.traits.bio");

    const viewer = await seedProjectMember(organisation.id, projectId, "VIEWER");
    const headers = await sessionHeaders(viewer.id);
    expect(expectStatus(await test({ rules, traits: { plan: "pro", age: 18 } }, headers), 200)).toEqual({
      matches: true,
    });
    expectError(
      await call(segmentsRoute.POST, "POST", "/", {
        headers,
        params: { projectId },
        body: { name: "x", rules },
      }),
      403,
      "forbidden",
    );
    expect(await prisma.segment.count({ where: { projectId } })).toBe(0);
  });
});
