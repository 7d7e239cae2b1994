import "server-only";
import net from "node:net";
import { env, type TrustedProxy } from "@/lib/env";
import { PEER_ADDRESS_HEADER } from "@/lib/server/peer-address";

// The client address sign-in throttling counts: the connection's peer (stamped by
// lib/server/peer-address.ts), or, when that peer is a proxy listed in FLAGPOST_TRUSTED_PROXIES,
// the right-most X-Forwarded-For entry that is not itself a trusted proxy. A client can put
// anything in X-Forwarded-For; only what our own proxies appended is believed.

type HeaderSource = Headers | Record<string, unknown> | undefined;

function header(headers: HeaderSource, name: string): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(name);
  const value = headers[name];
  if (Array.isArray(value)) return value.join(",");
  return typeof value === "string" ? value : null;
}

/** `::ffff:10.0.0.1` → `10.0.0.1`; anything that is not an IP → null. */
export function normaliseAddress(value: string | null | undefined): string | null {
  const trimmed = value?.trim().replace(/^\[(.*)\]$/, "$1") ?? "";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  const address = mapped ? mapped[1]! : trimmed;
  return net.isIP(address) ? address.toLowerCase() : null;
}

function trustedProxyList(proxies: TrustedProxy[]): net.BlockList {
  const list = new net.BlockList();
  for (const proxy of proxies) list.addSubnet(proxy.address, proxy.prefix, proxy.family);
  return list;
}

const isTrusted = (list: net.BlockList, address: string) =>
  list.check(address, net.isIP(address) === 6 ? "ipv6" : "ipv4");

/** The client's address for throttling, or null when the request carries no stamped peer. */
export function clientAddress(
  headers: HeaderSource,
  proxies: TrustedProxy[] = env().FLAGPOST_TRUSTED_PROXIES,
): string | null {
  const peer = normaliseAddress(header(headers, PEER_ADDRESS_HEADER));
  if (!peer || proxies.length === 0) return peer;
  const trusted = trustedProxyList(proxies);
  if (!isTrusted(trusted, peer)) return peer;
  const hops = (header(headers, "x-forwarded-for") ?? "").split(",").map(normaliseAddress);
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hops[index];
    // A malformed entry ends what can be believed: count the last trusted hop instead.
    if (!hop) break;
    if (!isTrusted(trusted, hop)) return hop;
  }
  return peer;
}
