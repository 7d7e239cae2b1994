import { describe, expect, it } from "vitest";
import { clientAddress, normaliseAddress } from "@/lib/auth/client-address";
import { parseEnv, type TrustedProxy } from "@/lib/env";
import { PEER_ADDRESS_HEADER } from "@/lib/server/peer-address";

const proxies = (list: string): TrustedProxy[] =>
  parseEnv({ FLAGPOST_TRUSTED_PROXIES: list }).FLAGPOST_TRUSTED_PROXIES;

describe("client address for sign-in throttling", () => {
  it("is the connection's peer, whatever X-Forwarded-For says, when no proxy is trusted", () => {
    const headers = { [PEER_ADDRESS_HEADER]: "::ffff:192.0.2.7", "x-forwarded-for": "203.0.113.1" };
    expect(clientAddress(headers, [])).toBe("192.0.2.7");
    expect(clientAddress(headers, proxies("10.0.0.0/8"))).toBe("192.0.2.7");
  });

  it("is the right-most untrusted X-Forwarded-For hop behind trusted proxies", () => {
    const trusted = proxies("10.0.0.0/8, fd00::/8");
    const headers = new Headers({
      [PEER_ADDRESS_HEADER]: "10.0.0.2",
      "x-forwarded-for": "6.6.6.6, 2001:db8::1, fd00::5, 10.1.2.3",
    });
    expect(clientAddress(headers, trusted)).toBe("2001:db8::1");
    // All hops trusted, or a malformed hop: the proxy's own address is counted.
    expect(clientAddress({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "10.0.0.9" }, trusted)).toBe(
      "10.0.0.2",
    );
    expect(
      clientAddress({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "1.2.3.4, junk" }, trusted),
    ).toBe("10.0.0.2");
  });

  it("is unknown without a stamped peer, and only IP addresses are accepted", () => {
    expect(clientAddress({ "x-forwarded-for": "203.0.113.1" }, [])).toBeNull();
    expect(normaliseAddress("not-an-ip")).toBeNull();
    expect(normaliseAddress("[2001:DB8::1]")).toBe("2001:db8::1");
  });

  it("FLAGPOST_TRUSTED_PROXIES takes addresses and CIDR ranges and names every bad entry", () => {
    expect(proxies(" 10.0.0.1 , 10.1.0.0/16,fd00::/8 ")).toEqual([
      { address: "10.0.0.1", prefix: 32, family: "ipv4" },
      { address: "10.1.0.0", prefix: 16, family: "ipv4" },
      { address: "fd00::", prefix: 8, family: "ipv6" },
    ]);
    expect(proxies("")).toEqual([]);
    expect(() => parseEnv({ FLAGPOST_TRUSTED_PROXIES: "10.0.0.0/33, proxy.local, 10.0.0.1/8/1" })).toThrow(
      /FLAGPOST_TRUSTED_PROXIES: "10\.0\.0\.0\/33" is not an IP address[\s\S]*"proxy\.local"[\s\S]*"10\.0\.0\.1\/8\/1"/,
    );
  });
});
