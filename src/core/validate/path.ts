import type { Segment } from './types.js';

/** Upstream's field path form: spec.template.spec.containers[0].resources.requests[cpu]. */
export function formatPath(segs: readonly Segment[]): string {
  let out = '';
  for (const s of segs) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'object') out += `[${s.key}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}

export function segName(s: Segment): string | number {
  return typeof s === 'object' ? s.key : s;
}
