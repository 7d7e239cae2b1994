import "server-only";
import dns from "node:dns";
import net from "node:net";

// SSRF guard for every connection Flagpost opens to a GitLab instance. Addresses are checked when
// the socket connects (through the `lookup` hook), so redirects and DNS answers that change between
// validation and use (rebinding) are covered too. GITLAB_ALLOW_PRIVATE_NETWORK=true lifts it for
// self-managed GitLab on a LAN (and for tests).

export class BlockedAddressError extends Error {
  constructor(
    public readonly host: string,
    public readonly address: string,
  ) {
    super(
      isMetadataOrLinkLocalAddress(address)
        ? `${host} resolves to ${address}, a link-local or cloud metadata address. Flagpost always refuses those.`
        : `${host} resolves to ${address}, a loopback, link-local or private address. Flagpost refuses those ` +
            `unless GITLAB_ALLOW_PRIVATE_NETWORK=true is set.`,
    );
    this.name = "BlockedAddressError";
  }
}

const blocked = new net.BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this" network
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, incl. cloud metadata 169.254.169.254
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
  ["64:ff9b:1::", 48], // local-use NAT64 (RFC 8215): reaches private IPv4 networks
  ["2001:db8::", 32], // documentation
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

// Cloud metadata services answer on link-local addresses (169.254.169.254 on AWS, GCP, Azure,
// Oracle; fd00:ec2::254 on AWS over IPv6; 100.100.100.200 on Alibaba). Nothing a GitLab instance
// needs lives there, so these stay closed even with GITLAB_ALLOW_PRIVATE_NETWORK=true.
const alwaysBlocked = new net.BlockList();
alwaysBlocked.addSubnet("169.254.0.0", 16, "ipv4");
alwaysBlocked.addAddress("100.100.100.200", "ipv4");
alwaysBlocked.addSubnet("fe80::", 10, "ipv6");
alwaysBlocked.addAddress("fd00:ec2::254", "ipv6");

/** The eight 16-bit groups of an IPv6 address (dotted IPv4 tail included), or null. */
function ipv6Groups(address: string): number[] | null {
  if (net.isIP(address) !== 6) return null;
  let text = address.toLowerCase().replace(/%.*$/, "");
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(":").map((group) => parseInt(group, 16)) : []);
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  const groups =
    tail === undefined
      ? front
      : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  return groups.length === 8 ? groups : null;
}

function ipv4Of(high: number, low: number): string {
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/**
 * The IPv4 addresses an IPv6 address carries or reaches: IPv4-mapped (::ffff:0:0/96), IPv4-translated
 * (::ffff:0:0:0/96), IPv4-compatible (::/96), NAT64 (64:ff9b::/96), 6to4 (2002::/16) and Teredo
 * (2001::/32, server and obfuscated client). Each must pass the IPv4 check too.
 */
export function embeddedIpv4(address: string): string[] {
  const g = ipv6Groups(address);
  if (!g) return [];
  const zeros = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  const found: string[] = [];
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) found.push(ipv4Of(g[6]!, g[7]!));
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) found.push(ipv4Of(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) found.push(ipv4Of(g[6]!, g[7]!));
  if (g[0] === 0x2002) found.push(ipv4Of(g[1]!, g[2]!));
  if (g[0] === 0x2001 && g[1] === 0) found.push(ipv4Of(g[2]!, g[3]!), ipv4Of(g[6]! ^ 0xffff, g[7]! ^ 0xffff));
  return found;
}

function matches(list: net.BlockList, address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return list.check(address, "ipv4");
  if (family !== 6) return true;
  const bare = address.replace(/%.*$/, "");
  return list.check(bare, "ipv6") || embeddedIpv4(bare).some((ipv4) => list.check(ipv4, "ipv4"));
}

/** True for loopback, link-local, private, unique-local and other non-public addresses, in any IPv6 disguise. */
export function isNonPublicAddress(address: string): boolean {
  return matches(blocked, address);
}

/** True for link-local and cloud metadata addresses, which no setting opens. */
function isMetadataOrLinkLocalAddress(address: string): boolean {
  return matches(alwaysBlocked, address);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** Decides which addresses may be connected to; true means refuse. */
export type AddressPolicy = (address: string) => boolean;

export function addressPolicy(allowPrivateNetwork: boolean): AddressPolicy {
  return allowPrivateNetwork ? isMetadataOrLinkLocalAddress : isNonPublicAddress;
}

/** A `lookup` for http(s).request that refuses addresses the policy blocks. */
export function guardedLookup(isBlocked: AddressPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((entry) => isBlocked(entry.address));
      if (bad)
        return callback(new BlockedAddressError(hostname, bad.address) as NodeJS.ErrnoException, "", 0);
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first)
        return callback(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

/** Literal IP hosts never reach `lookup`, so they are checked up front. */
export function assertHostAllowed(hostname: string, isBlocked: AddressPolicy): void {
  const bare = hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(bare) && isBlocked(bare)) throw new BlockedAddressError(hostname, bare);
}
