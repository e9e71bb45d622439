/**
 * Fault injection for tests: error answers, slow answers, dropped watch connections and a stalled
 * garbage collector. Faults apply to API requests only (the simulated controllers write to the store
 * directly and are never faulted).
 */

export interface RequestMatch {
  /** HTTP method (GET, POST, PATCH...); any when left out. */
  method?: string;
  /** Tested against the request's path and query string (`/apis/apps/v1/namespaces/default/daemonsets?watch=true`). */
  path?: RegExp;
  /** How many matching requests fail (failNext only; default 1). */
  times?: number;
}

interface Failure {
  match: RequestMatch;
  code: number;
  reason?: string;
  remaining: number;
}

interface Delay {
  match: RequestMatch;
  ms: number;
}

const matchesRequest = (m: RequestMatch, method: string, url: string) =>
  (!m.method || m.method.toUpperCase() === method.toUpperCase()) && (!m.path || m.path.test(url));

export class Faults {
  private failures: Failure[] = [];
  private delays: Delay[] = [];
  private watches = new Set<() => void>();
  private gcListeners = new Set<(stalled: boolean) => void>();
  private stalled = false;

  /** The next `times` (default 1) matching requests are answered with this HTTP code as a Status. */
  failNext(match: RequestMatch, code: number, reason?: string): void {
    this.failures.push({ match, code, reason, remaining: match.times ?? 1 });
  }

  /** Every matching request waits `ms` before it is served, until the returned function is called (or reset()). */
  delay(match: Omit<RequestMatch, 'times'>, ms: number): () => void {
    const d: Delay = { match, ms };
    this.delays.push(d);
    return () => {
      this.delays = this.delays.filter((x) => x !== d);
    };
  }

  /** Closes every open watch connection at once (as a network drop or an API server restart would). */
  dropWatches(): void {
    for (const close of [...this.watches]) close();
  }

  /** While on, the garbage collector does nothing: orphan/foregroundDeletion finalizers stay in place. */
  stallGarbageCollector(on: boolean): void {
    this.stalled = on;
    for (const l of this.gcListeners) l(on);
  }

  get gcStalled(): boolean {
    return this.stalled;
  }

  /** Clears every fault. */
  reset(): void {
    this.failures = [];
    this.delays = [];
    this.stallGarbageCollector(false);
  }

  // ---- used by the server and the garbage collector ----

  takeFailure(method: string, url: string): { code: number; reason?: string } | undefined {
    const f = this.failures.find((x) => x.remaining > 0 && matchesRequest(x.match, method, url));
    if (!f) return undefined;
    f.remaining--;
    if (f.remaining <= 0) this.failures = this.failures.filter((x) => x !== f);
    return { code: f.code, reason: f.reason };
  }

  delayFor(method: string, url: string): number {
    return this.delays.filter((d) => matchesRequest(d.match, method, url)).reduce((a, d) => a + d.ms, 0);
  }

  trackWatch(close: () => void): () => void {
    this.watches.add(close);
    return () => this.watches.delete(close);
  }

  onGcStall(fn: (stalled: boolean) => void): () => void {
    this.gcListeners.add(fn);
    return () => this.gcListeners.delete(fn);
  }
}
