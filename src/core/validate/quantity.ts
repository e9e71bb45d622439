/**
 * Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity): a signed decimal number with
 * an optional suffix: binary Ki Mi Gi Ti Pi Ei, decimal n u m "" k M G T P E, or an exponent e3 / E-2.
 * Values are exact rationals so that requests and limits compare without rounding.
 */
export interface Quantity {
  num: bigint;
  den: bigint;
}

const RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** The upstream error for a malformed quantity. */
export const QUANTITY_SYNTAX_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** Parses a quantity as written in a manifest (a string, or a YAML number). undefined when malformed. */
export function parseQuantity(v: unknown): Quantity | undefined {
  let s: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    s = String(v);
  } else if (typeof v === 'string') s = v.trim() === v ? v : '';
  else return undefined;
  const m = RE.exec(s);
  if (!m) return undefined;
  const [, sign, mant, exp, suffix] = m;
  const [ip, fp = ''] = mant!.split('.');
  let num = BigInt((ip || '0') + fp);
  let den = 10n ** BigInt(fp.length);
  let e10 = 0;
  if (exp !== undefined) {
    e10 = Number(exp);
    if (Math.abs(e10) > 60) return undefined;
  } else if (suffix) {
    if (suffix in BINARY) num *= 1024n ** BigInt(BINARY[suffix]!);
    else e10 = DECIMAL[suffix]!;
  }
  if (e10 >= 0) num *= 10n ** BigInt(e10);
  else den *= 10n ** BigInt(-e10);
  if (sign === '-') num = -num;
  return { num, den };
}

export function compareQuantity(a: Quantity, b: Quantity): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function isNegative(q: Quantity): boolean {
  return q.num < 0n;
}

export function isInteger(q: Quantity): boolean {
  return q.num % q.den === 0n;
}
