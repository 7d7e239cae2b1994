import "server-only";
import http from "node:http";
import https from "node:https";

// Route handlers see a Web Request, not the socket, so the only trustworthy client address (the
// connection's peer) is lost on the way. At boot we wrap the Node servers' 'request' emit: before
// Next.js reads a request, its peer address is written into an internal header, OVERWRITING any
// value the client sent, so nothing outside the socket decides it. lib/auth/client-address.ts reads it.

export const PEER_ADDRESS_HEADER = "x-flagpost-peer";

const installed = globalThis as unknown as { __flagpostPeerStamp?: boolean };

/** Writes the socket's remote address into the request's headers (or removes a forged value). */
function stampPeerAddress(request: http.IncomingMessage): void {
  const peer = request.socket?.remoteAddress;
  if (peer) request.headers[PEER_ADDRESS_HEADER] = peer;
  else delete request.headers[PEER_ADDRESS_HEADER];
}

/** Wraps http(s).Server#emit once per process; idempotent. */
export function installPeerAddressStamp(): void {
  if (installed.__flagpostPeerStamp) return;
  installed.__flagpostPeerStamp = true;
  for (const ServerClass of [http.Server, https.Server]) {
    const original = ServerClass.prototype.emit;
    ServerClass.prototype.emit = function emit(
      this: http.Server,
      event: string | symbol,
      ...args: unknown[]
    ) {
      if (event === "request") stampPeerAddress(args[0] as http.IncomingMessage);
      return Reflect.apply(original, this, [event, ...args]) as boolean;
    } as typeof original;
  }
}
