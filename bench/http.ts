import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** One answered request, timed from write to the last byte. */
export interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
  ms: number;
}

/** A keep-alive client for the sequential scenarios (one request in flight, latency per request). */
export class Client {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(readonly base: string) {}

  request(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
    const url = new URL(path, this.base);
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    const h: Record<string, string | number> = { ...headers };
    if (payload) h['content-length'] = payload.length;
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request({ method, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers: h, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
        res.on('error', reject);
      });
      req.setTimeout(300_000, () => req.destroy(new Error(`${method} ${path}: no answer in 300 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like request, but a status other than `expect` is an error carrying the body. */
  async expect(expect: number | number[], method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
    const a = await this.request(method, path, headers, body);
    const ok = Array.isArray(expect) ? expect.includes(a.status) : a.status === expect;
    if (!ok) throw new Error(`${method} ${path} answered ${a.status} (expected ${String(expect)}): ${a.body.slice(0, 500)}`);
    return a;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Polls `url` until it answers 200, or fails after `timeoutMs` or when `alive()` turns false. */
export async function waitUntilUp(url: string, alive: () => boolean, timeoutMs = 120_000, intervalMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`the server behind ${url} exited while starting`);
    const status = await new Promise<number>((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.setTimeout(2_000, () => req.destroy());
      req.on('error', () => resolve(0));
    });
    if (status === 200) return;
    if (Date.now() > until) throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
