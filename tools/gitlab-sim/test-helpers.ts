// Helpers for the simulator's own tests: a fetch wrapper and a local webhook receiver.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ApiCall {
  token?: string;
  method?: string;
  /** JSON body. */
  json?: unknown;
  /** Form-encoded body. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function api(baseUrl: string, path: string, call: ApiCall = {}) {
  const headers: Record<string, string> = { ...(call.headers ?? {}) };
  if (call.token) headers["PRIVATE-TOKEN"] = call.token;
  let body: string | undefined;
  if (call.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(call.json);
  } else if (call.form) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(call.form).toString();
  }
  const res = await fetch(`${baseUrl}/api/v4${path}`, {
    method: call.method ?? "GET",
    headers,
    body,
    signal: call.signal,
  });
  const text = await res.text();
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // plain text (rack-attack 429)
  }
  return { status: res.status, headers: res.headers, text, data: data as any };
}

interface ReceivedHook {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
}

export interface Receiver {
  url: string;
  received: ReceivedHook[];
  /** Status the receiver answers with (default 200). */
  status: number;
  clear(): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedHook[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, json });
      res.writeHead(state.status, { "Content-Type": "application/json" });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/gitlab`,
    received,
    get status() {
      return state.status;
    },
    set status(v: number) {
      state.status = v;
    },
    clear: () => {
      received.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
