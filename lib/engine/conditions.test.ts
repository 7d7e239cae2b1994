// Every operator and typing rule of a segment condition, stated explicitly and checked against
// Flagsmith's own engine case by case (conditionMatches returns [Flagpost, Flagsmith]).
import { describe, expect, it } from "vitest";
import { conditionMatches } from "./testing/both-engines";
import type { ContextValue, SegmentCondition } from "./types";

type Case = [
  traitValue: ContextValue | undefined,
  conditionValue: SegmentCondition["value"],
  matches: boolean,
];

function expectCases(operator: SegmentCondition["operator"], cases: Case[]) {
  for (const [traitValue, value, expected] of cases) {
    const traits: Record<string, ContextValue> = traitValue === undefined ? {} : { t: traitValue };
    const label = `${JSON.stringify(traitValue)} ${operator} ${JSON.stringify(value)}`;
    expect(conditionMatches({ property: "t", operator, value }, traits), label).toEqual([expected, expected]);
  }
}

describe("EQUAL and NOT_EQUAL: the condition value is read as the trait's type", () => {
  it("compares strings exactly (case-sensitive)", () => {
    expectCases("EQUAL", [
      ["pro", "pro", true],
      ["pro", "Pro", false],
      ["pro", "pro ", false],
      ["10", "10.0", false],
    ]);
    expectCases("NOT_EQUAL", [
      ["pro", "free", true],
      ["pro", "pro", false],
    ]);
  });

  it("compares integers as numbers (parseFloat of the condition value)", () => {
    expectCases("EQUAL", [
      [10, "10", true],
      [10, "10.0", true],
      [10, "10abc", true], // parseFloat reads the leading number, as Flagsmith does
      [10, "abc", false],
      [-3, "-3", true],
    ]);
    expectCases("NOT_EQUAL", [
      [10, "11", true],
      [10, "10.0", false],
    ]);
  });

  it("compares floats as numbers", () => {
    expectCases("EQUAL", [
      [1.5, "1.5", true],
      [1.5, "1.50", true],
      [1.5, "1.4", false],
    ]);
  });

  it("reads a condition value as a boolean: anything but false/False is true", () => {
    expectCases("EQUAL", [
      [true, "true", true],
      [true, "True", true],
      [true, "yes", true],
      [false, "false", true],
      [false, "False", true],
      [false, "0", false],
      [true, "false", false],
    ]);
    expectCases("NOT_EQUAL", [
      [true, "false", true],
      [false, "false", false],
    ]);
  });
});

describe("GREATER_THAN, GREATER_THAN_INCLUSIVE, LESS_THAN, LESS_THAN_INCLUSIVE", () => {
  it("order numbers numerically", () => {
    expectCases("GREATER_THAN", [
      [10, "9", true],
      [10, "10", false],
      [2.5, "2.25", true],
    ]);
    expectCases("GREATER_THAN_INCLUSIVE", [
      [10, "10", true],
      [9.99, "10", false],
    ]);
    expectCases("LESS_THAN", [
      [9, "10", true],
      [10, "10", false],
      [-0.5, "0", true],
    ]);
    expectCases("LESS_THAN_INCLUSIVE", [
      [10, "10", true],
      [10.01, "10", false],
    ]);
  });

  it("order strings by text, so a numeric-looking string trait compares as text", () => {
    expectCases("GREATER_THAN", [
      ["b", "a", true],
      ["10", "9", false], // "1" < "9"
      ["abc", "abc", false],
    ]);
    expectCases("LESS_THAN_INCLUSIVE", [
      ["abc", "abc", true],
      ["abd", "abc", false],
    ]);
  });

  it("order booleans as 0 and 1", () => {
    expectCases("GREATER_THAN", [
      [true, "false", true],
      [false, "true", false],
    ]);
    expectCases("LESS_THAN", [[false, "true", true]]);
    expectCases("GREATER_THAN_INCLUSIVE", [[true, "true", true]]);
  });
});

describe(":semver condition values", () => {
  it("compare semantic versions with EQUAL and the orderings", () => {
    expectCases("EQUAL", [
      ["1.2.3", "1.2.3:semver", true],
      ["1.2.3+build.7", "1.2.3:semver", true],
      ["1.2.4", "1.2.3:semver", false],
    ]);
    expectCases("GREATER_THAN", [
      ["1.10.0", "1.9.0:semver", true], // numeric parts, not text
      ["2.0.0-beta.1", "2.0.0:semver", false], // a pre-release ranks below its release
      ["2.0.0-beta.11", "2.0.0-beta.2:semver", true],
    ]);
    expectCases("GREATER_THAN_INCLUSIVE", [["1.2.3", "1.2.3:semver", true]]);
    expectCases("LESS_THAN", [
      ["0.9.9", "1.0.0:semver", true],
      ["1.0.0-alpha", "1.0.0:semver", true],
    ]);
    expectCases("LESS_THAN_INCLUSIVE", [["1.0.0", "1.0.0:semver", true]]);
  });

  it("never match a trait that is not a version, nor a non-string trait", () => {
    expectCases("EQUAL", [
      ["1.2", "1.2.0:semver", false],
      ["not a version", "1.0.0:semver", false],
      [1, "1.0.0:semver", false],
    ]);
    expectCases("GREATER_THAN", [["2.0.0", "garbage:semver", false]]);
  });

  it("compare the text without the suffix for NOT_EQUAL and CONTAINS", () => {
    expectCases("NOT_EQUAL", [
      ["1.2.3", "1.2.3:semver", false],
      ["1.2.4", "1.2.3:semver", true],
      ["v1.2.3", "1.2.3:semver", true], // text, not versions
    ]);
    expectCases("CONTAINS", [["release-1.2.3", "1.2.3:semver", true]]);
  });
});

describe("CONTAINS and NOT_CONTAINS apply to strings only", () => {
  it("CONTAINS finds a substring of a non-empty string", () => {
    expectCases("CONTAINS", [
      ["hello@example.com", "@example.com", true],
      ["hello", "HELLO", false],
      ["", "", false],
      [123, "2", false],
      [true, "true", false],
    ]);
  });

  it("NOT_CONTAINS needs a string trait and a non-empty value", () => {
    expectCases("NOT_CONTAINS", [
      ["hello", "xyz", true],
      ["hello", "ell", false],
      ["", "x", true],
      [123, "4", false],
      [false, "x", false],
    ]);
  });
});

describe("REGEX: unanchored, on the value's text, like Flagsmith's Node engine (lib/engine/regex.ts)", () => {
  it("matches anywhere unless the pattern anchors itself", () => {
    expectCases("REGEX", [
      ["hello", "ell", true],
      ["hello", "^ell", false],
      ["hello", "^h.*o$", true],
      ["user@example.com", "@example\\.com$", true],
      ["user@example.org", "@example\\.com$", false],
    ]);
  });

  it("tests numbers and booleans by their text", () => {
    expectCases("REGEX", [
      [123, "^\\d+$", true],
      [1.5, "^1\\.5$", true],
      [true, "^true$", true],
      [-1, "^\\d+$", false],
    ]);
  });

  it("never matches with a pattern that does not compile or that RE2 refuses", () => {
    expectCases("REGEX", [["hello", "(", false]]);
    // A backreference compiles in JavaScript, where Flagsmith's engine would match; Flagpost refuses
    // it on the way in (lib/validations/segment-rules.ts), so such a rule is never stored.
    expect(conditionMatches({ property: "t", operator: "REGEX", value: "(a)\\1" }, { t: "aa" })[0]).toBe(
      false,
    );
  });
});

describe("MODULO takes divisor|remainder", () => {
  it("matches numbers (and strings that read as numbers) with that remainder", () => {
    expectCases("MODULO", [
      [10, "3|1", true],
      [9, "3|1", false],
      [10, "2|0", true],
      [2.5, "2|0.5", true],
      ["10", "3|1", true],
      [-7, "3|-1", true], // JavaScript's %: the sign of the dividend
    ]);
  });

  it("never matches a bad form or a value that is not a number", () => {
    expectCases("MODULO", [
      [10, "3", false],
      [10, "3|1|2", false],
      [10, "a|b", false],
      [10, "0|0", false],
      [10, "", false],
      ["ten", "3|1", false],
      [true, "2|1", false],
    ]);
  });
});

describe("IN takes a comma list, a JSON array in a string, or an array", () => {
  it("matches a comma list member exactly (no trimming)", () => {
    expectCases("IN", [
      ["pro", "free,pro", true],
      ["pro", "free, pro", false],
      ["pr", "free,pro", false],
      [10, "5,10", true],
      [1.5, "1.5,2", true],
    ]);
  });

  it("matches a member of a JSON array of strings, or of an array", () => {
    expectCases("IN", [
      ["b", '["a","b"]', true],
      ["a,b", '["a,b"]', true],
      [10, '["10"]', true],
      [10, "[1,2,10]", false], // members are compared as text; 10 (a number) is not "10"
      ["c", ["a", "b"], false],
      ["b", ["a", "b"], true],
      ["[x", "[x,y", true], // not JSON: a comma list
    ]);
  });

  it("never matches a boolean, 0 or the empty string", () => {
    expectCases("IN", [
      [true, "true,false", false],
      [false, "true,false", false],
      [0, "0,1", false],
      ["", ",a", false],
    ]);
  });
});

describe("IS_SET and IS_NOT_SET, and missing traits", () => {
  it("IS_SET matches a trait of any type, even false, 0 or empty; null counts as missing", () => {
    expectCases("IS_SET", [
      ["x", null, true],
      ["", null, true],
      [0, null, true],
      [false, null, true],
      [null, null, false],
      [undefined, null, false],
    ]);
    expectCases("IS_NOT_SET", [
      [undefined, null, true],
      [null, null, true],
      [false, null, false],
    ]);
  });

  it("a missing trait matches IS_NOT_SET and no other operator", () => {
    const values: Record<string, string> = {
      EQUAL: "x",
      NOT_EQUAL: "x",
      GREATER_THAN: "1",
      GREATER_THAN_INCLUSIVE: "1",
      LESS_THAN: "1",
      LESS_THAN_INCLUSIVE: "1",
      CONTAINS: "x",
      NOT_CONTAINS: "x",
      REGEX: ".*",
      MODULO: "2|0",
      IN: "x,y",
      IS_SET: "",
      IS_NOT_SET: "",
    };
    for (const [operator, value] of Object.entries(values)) {
      const expected = operator === "IS_NOT_SET";
      const condition = { property: "missing", operator, value } as SegmentCondition;
      expect(conditionMatches(condition, { other: "x" }), operator).toEqual([expected, expected]);
    }
  });
});

describe("context paths as properties", () => {
  const identity = { identifier: "user-42", key: "custom-key" };

  it("reads $.identity.identifier, $.identity.key and $.environment.name/key", () => {
    const cases: [string, string, boolean][] = [
      ["$.identity.identifier", "user-42", true],
      ["$.identity.identifier", "user-1", false],
      ["$.identity.key", "custom-key", true],
      ["$.environment.name", "production", true],
      ["$.environment.name", "staging", false],
      ["$.environment.key", "env-key", true],
    ];
    for (const [property, value, expected] of cases) {
      const result = conditionMatches({ property, operator: "EQUAL", value }, {}, identity);
      expect(result, `${property} = ${value}`).toEqual([expected, expected]);
    }
  });

  it("defaults the identity key to <environment key>_<identifier>", () => {
    expect(
      conditionMatches(
        { property: "$.identity.key", operator: "EQUAL", value: "env-key_user-7" },
        {},
        { identifier: "user-7" },
      ),
    ).toEqual([true, true]);
  });

  it("reads traits by path ($.identity.traits.name and ['name'])", () => {
    const traits = { plan: "pro", "my plan": "gold" };
    expect(
      conditionMatches({ property: "$.identity.traits.plan", operator: "EQUAL", value: "pro" }, traits),
    ).toEqual([true, true]);
    expect(
      conditionMatches(
        { property: "$.identity.traits['my plan']", operator: "EQUAL", value: "gold" },
        traits,
      ),
    ).toEqual([true, true]);
    expect(
      conditionMatches(
        { property: "$.identity.traits.missing", operator: "IS_NOT_SET", value: null },
        traits,
      ),
    ).toEqual([true, true]);
  });

  it("a path that reaches nothing (or an object) falls back to a trait named like the path", () => {
    expect(
      conditionMatches(
        { property: "$.nothing.here", operator: "EQUAL", value: "x" },
        { "$.nothing.here": "x" },
      ),
    ).toEqual([true, true]);
    expect(conditionMatches({ property: "$.environment", operator: "IS_SET", value: null }, {})).toEqual([
      false,
      false,
    ]);
  });

  it("a path condition works without any traits, and IN over identifiers is how identity overrides target", () => {
    expect(
      conditionMatches(
        { property: "$.identity.identifier", operator: "IN", value: ["user-1", "user-42"] },
        {},
        identity,
      ),
    ).toEqual([true, true]);
  });
});
