/**
 * The controllers' event loop: keyed work queues (a key queued twice is processed once, as a
 * client-go workqueue does), timers, and `settle()`, which resolves when nothing is queued and no
 * SHORT timer is pending. Long timers (slow readiness, crash-loop restarts, failed-pod backoff beyond
 * SHORT_MS, periodic heartbeats) do not hold settle() up: a test that wants them waits for them itself.
 */

/** Keys a queue processes in one turn of the event loop. */
export const BATCH = 500;

/** Timers at most this long count as pending work for settle(). */
export const SHORT_MS = 1000;

export class Runtime {
  private timers = new Map<ReturnType<typeof setTimeout>, boolean>();
  private shortCount = 0;
  private running = 0;
  private waiters: (() => void)[] = [];
  stopped = false;

  /** Runs fn after ms; returns a cancel function. */
  after(ms: number, fn: () => void, opts: { short?: boolean } = {}): () => void {
    if (this.stopped) return () => {};
    const short = opts.short ?? ms <= SHORT_MS;
    const t = setTimeout(() => {
      if (!this.timers.delete(t)) return;
      if (short) this.shortCount--;
      this.run(fn);
    }, Math.max(0, ms));
    if (typeof t === 'object' && 'unref' in t) t.unref();
    this.timers.set(t, short);
    if (short) this.shortCount++;
    return () => {
      if (!this.timers.has(t)) return;
      this.timers.delete(t);
      clearTimeout(t);
      if (short) this.shortCount--;
      this.notify();
    };
  }

  /** A repeating timer that never holds settle() up. */
  every(ms: number, fn: () => void): () => void {
    if (this.stopped) return () => {};
    const t = setInterval(() => {
      if (!this.stopped) this.run(fn);
    }, ms);
    t.unref();
    return () => clearInterval(t);
  }

  run(fn: () => void): void {
    if (this.stopped) return;
    this.running++;
    try {
      fn();
    } catch (e) {
      process.stderr.write(`sim controllers: ${(e as Error)?.stack ?? e}\n`);
    } finally {
      this.running--;
      this.notify();
    }
  }

  get busy(): boolean {
    return !this.stopped && (this.shortCount > 0 || this.running > 0);
  }

  private notify(): void {
    if (this.busy || !this.waiters.length) return;
    // Let synchronous follow-ups (store events queue more work) happen before declaring idle.
    setImmediate(() => {
      if (this.busy) return;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  async settle(): Promise<void> {
    for (;;) {
      await new Promise<void>((r) => setImmediate(r));
      if (!this.busy) return;
      await new Promise<void>((r) => {
        this.waiters.push(r);
        this.notify();
      });
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.keys()) clearTimeout(t);
    this.timers.clear();
    this.shortCount = 0;
    for (const w of this.waiters.splice(0)) w();
  }
}

/**
 * A set of dirty keys processed together after `delayMs` (the first add arms the timer; later adds
 * join the batch). Keys added while the batch runs are processed in the next batch.
 */
export class KeyedQueue {
  private dirty = new Set<string>();
  private cancel: (() => void) | undefined;
  private delayed = new Map<string, { due: number; cancel: () => void }>();

  constructor(
    private rt: Runtime,
    private delayMs: number,
    private process: (key: string) => void,
  ) {}

  add(key: string): void {
    if (this.rt.stopped) return;
    this.dirty.add(key);
    if (!this.cancel) this.cancel = this.rt.after(this.delayMs, () => this.drain(), { short: true });
  }

  /** Adds the key after ms (an earlier pending addAfter for the same key wins). */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) return this.add(key);
    const due = Date.now() + ms;
    const cur = this.delayed.get(key);
    if (cur && cur.due <= due) return;
    cur?.cancel();
    const cancel = this.rt.after(ms, () => {
      this.delayed.delete(key);
      this.add(key);
    });
    this.delayed.set(key, { due, cancel });
  }

  private drain(): void {
    this.cancel = undefined;
    // At most BATCH keys a turn, so the API server (same event loop) keeps answering under load.
    const batch: string[] = [];
    for (const k of this.dirty) {
      batch.push(k);
      if (batch.length >= BATCH) break;
    }
    for (const k of batch) this.dirty.delete(k);
    if (this.dirty.size) this.cancel = this.rt.after(0, () => this.drain(), { short: true });
    for (const k of batch) {
      try {
        this.process(k);
      } catch (e) {
        process.stderr.write(`sim controllers: ${k}: ${(e as Error)?.stack ?? e}\n`);
      }
    }
  }
}
