/**
 * An event recorder as client-go's: core/v1 Events in the involved object's namespace, named
 * `<object>.<hex>`, with `source.component`; a repeat of the same (object, type, reason, message)
 * bumps `count` and `lastTimestamp` of the existing Event instead of creating another.
 */
import type { KObj, Store } from '../store.js';
import { stamp } from './match.js';

export class EventRecorder {
  private seen = new Map<string, string>();
  private seq = 0;

  constructor(
    private store: Store,
    private component: string,
  ) {}

  record(obj: Readonly<KObj>, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const ns = obj.metadata.namespace || 'default';
    const key = `${obj.metadata.uid}|${type}|${reason}|${message}`;
    const now = stamp(this.store.now());
    const existing = this.seen.get(key);
    if (existing) {
      const ev = this.store.get('Event', ns, existing);
      if (ev) {
        ev.count = (ev.count ?? 1) + 1;
        ev.lastTimestamp = now;
        this.store.update('Event', ev);
        return;
      }
    }
    const name = `${obj.metadata.name}.${(BigInt(this.store.now().getTime()) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
    if (this.seen.size > 50_000) this.seen.clear();
    this.seen.set(key, name);
    this.store.create('Event', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: {
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      source: { component: this.component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    });
  }
}
