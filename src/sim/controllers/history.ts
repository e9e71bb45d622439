/**
 * ControllerRevisions of a DaemonSet (upstream daemon/update.go: getPatch, Match, snapshot and
 * controller.ComputeHash): a revision's `data` is `{"spec":{"template":{...,"$patch":"replace"}}}`
 * with the template as the API server serializes it (keys sorted, `metadata.creationTimestamp: null`,
 * `resources: {}` on every container), and its name is `<ds>-<hash>` where the hash is a 32-bit FNV-1a
 * of the template (and the collision count), printed in decimal and mapped onto upstream's safe
 * alphabet, which gives the familiar 8 to 10 character form.
 */

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with keys sorted at every level and null/undefined members dropped. */
export function canonical(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(canonical);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v as object).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined || x === null) continue;
    out[k] = canonical(x);
  }
  return out;
}

/** The template as upstream's typed round trip would print it (see the header), without creationTimestamp. */
export function normalizedTemplate(template: any): Record<string, any> {
  const t = (canonical(template ?? {}) ?? {}) as Record<string, any>;
  const meta = { ...(t.metadata ?? {}) };
  delete meta.creationTimestamp;
  const spec = { ...(t.spec ?? {}) };
  for (const f of ['containers', 'initContainers']) {
    if (Array.isArray(spec[f])) spec[f] = spec[f].map((c: any) => (c && typeof c === 'object' && !c.resources ? { ...c, resources: {} } : c));
  }
  return canonical({ ...t, metadata: meta, spec }) as Record<string, any>;
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

/** A revision's data for a template: `{"spec":{"template":{"$patch":"replace",...}}}`, keys sorted. */
export function revisionData(template: any): Record<string, unknown> {
  const t = normalizedTemplate(template);
  const metadata = sortKeys({ ...t.metadata, creationTimestamp: null });
  return { spec: { template: sortKeys({ ...t, $patch: 'replace', metadata }) } };
}

/** Whether a revision's data is the given template (upstream compares the serialized bytes). */
export function revisionMatches(data: unknown, template: any): boolean {
  return JSON.stringify(canonicalData(data)) === JSON.stringify(canonicalData(revisionData(template)));
}

function canonicalData(data: unknown): unknown {
  const t = (data as any)?.spec?.template;
  if (!t || typeof t !== 'object') return canonical(data);
  const { $patch: _p, ...rest } = t;
  return normalizedTemplate(rest);
}

function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(s, 'utf8');
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** controller.ComputeHash's form: a 32-bit hash of the template (and collisionCount), safe-encoded. */
export function templateHash(template: any, collisionCount?: number): string {
  let input = JSON.stringify(normalizedTemplate(template));
  if (collisionCount !== undefined && collisionCount !== null) input += `\u0000collision=${collisionCount}`;
  const decimal = String(fnv32a(input));
  let out = '';
  for (const ch of decimal) out += SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length];
  return out;
}
