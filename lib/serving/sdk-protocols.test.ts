import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { etagMatches, ofrepKey, ofrepProtocol, parseOfrepRequest } from "@/lib/serving/ofrep";
import { resetSdkRateLimits, takeSdkToken } from "@/lib/serving/rate-limit";
import { SdkError } from "@/lib/serving/sdk-route";

afterEach(() => {
  delete process.env.FLAGPOST_SDK_RATE_LIMIT;
  resetEnvForTests();
  resetSdkRateLimits();
});

describe("OFREP request parsing", () => {
  const protocol = ofrepProtocol("banner");
  const errorOf = (body: unknown) => {
    try {
      parseOfrepRequest(protocol, body);
    } catch (error) {
      return error as SdkError;
    }
    throw new Error("expected an error");
  };

  it("maps targetingKey to the identity and the rest to traits", () => {
    expect(
      parseOfrepRequest(protocol, { context: { targetingKey: "ada", plan: "pro", age: 3, beta: true } }),
    ).toEqual({ targetingKey: "ada", traits: { plan: "pro", age: 3, beta: true } });
    expect(parseOfrepRequest(protocol, {})).toEqual({ targetingKey: null, traits: {} });
  });

  it("answers INVALID_CONTEXT and TARGETING_KEY_MISSING in the single-flag shape", () => {
    expect(errorOf([]).body).toMatchObject({ key: "banner", errorCode: "INVALID_CONTEXT" });
    expect(errorOf({ context: { targetingKey: 5 } }).body).toMatchObject({ errorCode: "INVALID_CONTEXT" });
    expect(errorOf({ context: { targetingKey: "a", list: [1] } }).status).toBe(400);
    expect(errorOf({ context: { plan: "pro" } }).body).toMatchObject({ errorCode: "TARGETING_KEY_MISSING" });
  });

  it("keeps the bulk shape without a key", () => {
    const bulk = ofrepProtocol();
    expect(bulk.error(404, "x").body).toEqual({ errorCode: "FLAG_NOT_FOUND", errorDetails: "x" });
    expect(bulk.error(415, "x", "MEDIA_TYPE")).toMatchObject({
      status: 400,
      body: { errorCode: "PARSE_ERROR" },
    });
    expect(bulk.error(413, "x")).toMatchObject({ status: 400, body: { errorCode: "INVALID_CONTEXT" } });
  });

  it("reads Bearer and X-API-Key, and matches ETags", () => {
    expect(ofrepKey(new Request("http://x", { headers: { authorization: "Bearer abc" } }))).toBe("abc");
    expect(ofrepKey(new Request("http://x", { headers: { "x-api-key": "def" } }))).toBe("def");
    expect(ofrepKey(new Request("http://x"))).toBeNull();
    expect(etagMatches('"a", W/"b"', '"b"')).toBe(true);
    expect(etagMatches('"a"', '"b"')).toBe(false);
    expect(etagMatches(null, '"b"')).toBe(false);
  });
});

describe("SDK rate limit", () => {
  it("allows bursts of twice the rate, then says how long to wait, and refills", () => {
    process.env.FLAGPOST_SDK_RATE_LIMIT = "5";
    resetEnvForTests();
    const now = 1_000_000;
    const answers = Array.from({ length: 11 }, () => takeSdkToken("client:1", now));
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(null));
    expect(answers[10]).toBe(1);
    expect(takeSdkToken("client:2", now)).toBeNull();
    expect(takeSdkToken("client:1", now + 1_000)).toBeNull();
  });

  it("is off at 0", () => {
    process.env.FLAGPOST_SDK_RATE_LIMIT = "0";
    resetEnvForTests();
    for (let i = 0; i < 100; i++) expect(takeSdkToken("client:1")).toBeNull();
  });
});
