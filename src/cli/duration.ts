import { UsageError } from './errors.js';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration as kubectl does (Go's time.ParseDuration: "300ms", "1.5h", "2m30s", "0").
 * With bareSeconds, a plain integer means seconds, as kubectl's --request-timeout allows.
 * Returns milliseconds. Throws a UsageError naming the flag.
 */
export function parseDuration(value: string, flag: string, opts: { bareSeconds?: boolean } = {}): number {
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    if (opts.bareSeconds || v === '0') return Number(v) * 1000;
    throw new UsageError(`invalid value "${value}" for ${flag}: missing unit in duration (use a unit such as 30s, 5m or 1h)`);
  }
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(v)) !== null) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (v === '' || matched !== v.length) {
    throw new UsageError(`invalid value "${value}" for ${flag}: not a duration (examples: 30s, 5m, 1h30m)`);
  }
  return Math.round(total);
}

/** Short human duration as kubectl prints ages: 45s, 12m, 3h, 5d, 2y. */
export function humanAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '<unknown>';
  const s = Math.floor(ms / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}
