/**
 * Reads `-f FILE|DIR|-` inputs as kubectl does: a file as is (any extension), a directory's .yaml, .yml
 * and .json files (its subdirectories too with -R), `-` for stdin. Files larger than `maxBytes` are not
 * read; they come back with `tooLarge` set so that the caller can report them.
 */
import { join } from 'node:path';
import { CliError, UsageError } from './errors.js';

// node:fs through process.getBuiltinModule: its ES module facade would load the fs streams (~5 ms at start).
const { readFileSync, readSync, readdirSync, statSync } = process.getBuiltinModule('node:fs');

export interface InputFile {
  /** The name to show: the path as given (joined for directory entries), or "<stdin>". */
  file: string;
  text: string;
  /** Set (to the size in bytes) when the input was larger than maxBytes and was not read. */
  tooLarge?: number;
}

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

function listDir(dir: string, recursive: boolean): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (recursive) out.push(...listDir(p, recursive));
    } else if (MANIFEST_EXT.test(e.name)) out.push(p);
  }
  return out;
}

function readStdin(maxBytes: number): InputFile {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') break;
      throw new CliError(`cannot read standard input: ${(e as Error).message}`);
    }
    if (n === 0) break;
    total += n;
    if (total > maxBytes) return { file: '<stdin>', text: '', tooLarge: total };
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return { file: '<stdin>', text: Buffer.concat(chunks).toString('utf8') };
}

function readOne(path: string, maxBytes: number): InputFile {
  const size = statSync(path).size;
  if (size > maxBytes) return { file: path, text: '', tooLarge: size };
  try {
    return { file: path, text: readFileSync(path, 'utf8') };
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
}

/** Expands and reads -f values. Throws CliError for paths that do not exist (kubectl's message). */
export function readInputs(paths: string[], opts: { recursive: boolean; maxBytes: number }): InputFile[] {
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('-f - (standard input) can be given only once');
  const files: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      files.push(p);
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new CliError(`the path "${p}" does not exist`);
    }
    if (st.isDirectory()) {
      const found = listDir(p, opts.recursive);
      if (found.length === 0) {
        throw new CliError(`no manifests (.yaml, .yml, .json) in directory "${p}"${opts.recursive ? '' : ' (add -R to read its subdirectories)'}`);
      }
      files.push(...found);
    } else files.push(p);
  }
  return files.map((f) => (f === '-' ? readStdin(opts.maxBytes) : readOne(f, opts.maxBytes)));
}

