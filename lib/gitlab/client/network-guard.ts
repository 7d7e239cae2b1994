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
      `${host} resolves to ${address}, a loopback, link-local or private address. Flagpost refuses those ` +
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
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

/** True for loopback, link-local, private, unique-local and other non-public addresses. */
export function isNonPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses carry an IPv4 address.
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (embedded) return blocked.check(embedded[1]!, "ipv4");
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (mappedHex) {
    const high = parseInt(mappedHex[1]!, 16);
    const low = parseInt(mappedHex[2]!, 16);
    return blocked.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, "ipv4");
  }
  return blocked.check(address, "ipv6");
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** Decides which addresses may be connected to; true means refuse. */
export type AddressPolicy = (address: string) => boolean;

export function addressPolicy(allowPrivateNetwork: boolean): AddressPolicy {
  return allowPrivateNetwork ? () => false : isNonPublicAddress;
}

/** A `lookup` for http(s).request that refuses addresses the policy blocks. */
export function guardedLookup(isBlocked: AddressPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((entry) => isBlocked(entry.address));
      if (bad) return callback(new BlockedAddressError(hostname, bad.address) as NodeJS.ErrnoException, "", 0);
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

/** Literal IP hosts never reach `lookup`, so they are checked up front. */
export function assertHostAllowed(hostname: string, isBlocked: AddressPolicy): void {
  const bare = hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(bare) && isBlocked(bare)) throw new BlockedAddressError(hostname, bare);
}
