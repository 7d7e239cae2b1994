import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addressPolicy,
  BlockedAddressError,
  embeddedIpv4,
  isNonPublicAddress,
} from "@/lib/gitlab/client/network-guard";
import { GitLabUnreachableError } from "@/lib/gitlab/client/errors";
import { normaliseInstanceUrl, InstanceUrlError } from "@/lib/gitlab/client/instance-url";
import { sendToGitLab } from "@/lib/gitlab/client/transport";

describe("non-public address detection", () => {
  it.each([
    "127.0.0.1",
    "127.10.0.5",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "::1",
    "::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "64:ff9b::10.0.0.1",
    "not-an-ip",
  ])("refuses %s", (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(["8.8.8.8", "172.32.0.1", "35.231.145.151", "2606:4700::1111", "::ffff:8.8.8.8"])(
    "allows %s",
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );
});

describe("IPv4 hidden in IPv6 (classification only, nothing is connected to)", () => {
  it.each([
    "::7f00:1", // IPv4-compatible 127.0.0.1, hex
    "::127.0.0.1", // IPv4-compatible, dotted
    "::a00:1", // IPv4-compatible 10.0.0.1
    "::ffff:a9fe:a9fe", // IPv4-mapped 169.254.169.254, hex
    "0:0:0:0:0:ffff:192.168.0.1", // IPv4-mapped, uncompressed
    "::ffff:0:10.0.0.1", // IPv4-translated
    "64:ff9b::a00:1", // NAT64 10.0.0.1, hex
    "64:ff9b::7f00:1", // NAT64 127.0.0.1
    "64:ff9b::169.254.169.254", // NAT64 metadata
    "64:ff9b:1::a00:1", // local-use NAT64
    "2002:a00:1::1", // 6to4 of 10.0.0.1
    "2002:7f00:1::", // 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1", // 6to4 of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:f5ff:fffe", // Teredo whose client is 10.0.0.1 (obfuscated)
  ])("refuses %s", (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(["64:ff9b::808:808", "2002:808:808::1", "::ffff:808:808", "2a00:1450:4001:80b::200e"])(
    "allows %s",
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );

  it("decodes the embedded IPv4", () => {
    expect(embeddedIpv4("64:ff9b::a00:1")).toEqual(["10.0.0.1"]);
    expect(embeddedIpv4("::ffff:7f00:1")).toEqual(["127.0.0.1"]);
    expect(embeddedIpv4("2002:c0a8:101::")).toEqual(["192.168.1.1"]);
    expect(embeddedIpv4("2606:4700::1111")).toEqual([]);
  });
});

describe("GITLAB_ALLOW_PRIVATE_NETWORK=true keeps metadata and link-local closed", () => {
  const allowPrivate = addressPolicy(true);

  it.each([
    "169.254.169.254",
    "169.254.0.1",
    "100.100.100.200",
    "fe80::1",
    "febf::1",
    "fd00:ec2::254",
    "::ffff:169.254.169.254",
    "::ffff:a9fe:a9fe",
    "64:ff9b::a9fe:a9fe",
    "::169.254.169.254",
    "2002:a9fe:a9fe::",
  ])("refuses %s", (address) => {
    expect(allowPrivate(address)).toBe(true);
  });

  it.each(["10.0.0.5", "192.168.1.10", "127.0.0.1", "::1", "fd12:3456::1", "172.16.0.1", "8.8.8.8"])(
    "allows %s",
    (address) => {
      expect(allowPrivate(address)).toBe(false);
    },
  );

  it("says the metadata address is always refused", () => {
    expect(new BlockedAddressError("metadata.internal", "169.254.169.254").message).toMatch(/always refuses/);
  });
});

describe("instance URL", () => {
  it("normalises trailing slashes, case and a pasted API root, keeping a path prefix", () => {
    expect(normaliseInstanceUrl("https://GitLab.com/")).toBe("https://gitlab.com");
    expect(normaliseInstanceUrl("https://example.com/gitlab/")).toBe("https://example.com/gitlab");
    expect(normaliseInstanceUrl("https://example.com/gitlab/api/v4")).toBe("https://example.com/gitlab");
    expect(normaliseInstanceUrl("http://10.0.0.5:8080")).toBe("http://10.0.0.5:8080");
  });

  it.each([
    ["ftp://gitlab.com", /http or https/],
    ["gitlab.com", /not a valid URL/],
    ["https://user:pw@gitlab.com", /token in its own field/],
    ["https://gitlab.com/?x=1", /query or fragment/],
  ])("refuses %s", (input, message) => {
    expect(() => normaliseInstanceUrl(input)).toThrow(InstanceUrlError);
    expect(() => normaliseInstanceUrl(input)).toThrow(message);
  });
});

describe("transport guard", () => {
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/redirect-to-metadata") {
        res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      } else if (req.url === "/slow") {
        setTimeout(() => res.end("{}"), 2_000);
      } else {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ token: req.headers["private-token"] ?? null }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("refuses loopback (literal and by name) unless private networks are allowed", async () => {
    await expect(
      sendToGitLab({ method: "GET", url: `http://127.0.0.1:${port}/` }, { allowPrivateNetwork: false }),
    ).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(
      sendToGitLab({ method: "GET", url: `http://localhost:${port}/` }, { allowPrivateNetwork: false }),
    ).rejects.toBeInstanceOf(BlockedAddressError);
    const ok = await sendToGitLab(
      { method: "GET", url: `http://127.0.0.1:${port}/` },
      { allowPrivateNetwork: true },
    );
    expect(ok.status).toBe(200);
  });

  it("checks names at connect time: a name resolving to loopback is refused", async () => {
    const error = await sendToGitLab(
      { method: "GET", url: `http://localhost:${port}/` },
      { allowPrivateNetwork: false },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toMatch(/GITLAB_ALLOW_PRIVATE_NETWORK/);
  });

  it("refuses a redirect to the metadata address even when the first hop was allowed", async () => {
    // Policy: this test server (127.0.0.1) stands in for a public GitLab; everything else non-public is refused.
    const isBlocked = (address: string) => address !== "127.0.0.1" && isNonPublicAddress(address);
    const error = await sendToGitLab(
      { method: "GET", url: `http://127.0.0.1:${port}/redirect-to-metadata` },
      { allowPrivateNetwork: false, isBlocked },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as BlockedAddressError).address).toBe("169.254.169.254");
  });

  it("does not forward the token when a redirect changes origin", async () => {
    const other = http.createServer((req, res) => {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ token: req.headers["private-token"] ?? null }));
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const otherPort = (other.address() as AddressInfo).port;
    const hop = http.createServer((_req, res) =>
      res.writeHead(301, { location: `http://127.0.0.1:${otherPort}/` }).end(),
    );
    await new Promise<void>((resolve) => hop.listen(0, "127.0.0.1", resolve));
    const hopPort = (hop.address() as AddressInfo).port;
    const response = await sendToGitLab(
      { method: "GET", url: `http://127.0.0.1:${hopPort}/`, headers: { "PRIVATE-TOKEN": "glpat-secret" } },
      { allowPrivateNetwork: true },
    );
    expect(JSON.parse(response.text)).toEqual({ token: null });
    await new Promise<void>((resolve) => other.close(() => resolve()));
    await new Promise<void>((resolve) => hop.close(() => resolve()));
  });

  it("times out with a clear error", async () => {
    const error = await sendToGitLab(
      { method: "GET", url: `http://127.0.0.1:${port}/slow`, timeoutMs: 300 },
      { allowPrivateNetwork: true },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitLabUnreachableError);
    expect((error as GitLabUnreachableError).reason).toBe("timeout");
  });

  it("reports a refused connection as unreachable", async () => {
    const error = await sendToGitLab(
      { method: "GET", url: "http://127.0.0.1:1/" },
      { allowPrivateNetwork: true },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitLabUnreachableError);
    expect((error as GitLabUnreachableError).reason).toBe("refused");
  });
});
