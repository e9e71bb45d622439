#!/usr/bin/env node
// Executable for `kubectl ds ...`.
import { checkNode, enableCompileCache } from './node-check.mjs';

checkNode();
const argv = process.argv.slice(2);
if (!printTopLevelHelp(argv)) {
  await enableCompileCache();
  if (!(argv[0] === 'scaffold' && (await fastScaffold(argv.slice(1))))) {
    const { main } = await import('../dist/kubectl-ds.js');
    await main(argv, 'kubectl-ds');
  }
}

/**
 * `kubectl ds scaffold ...` without loading the CLI (src/cli/fast-scaffold.ts): true when it printed
 * the manifest; false when the full CLI must run (help, errors, the rarer flags; and with
 * KUBECTL_DS_NO_FAST_PATH set, which the tests use to compare the two).
 */
async function fastScaffold(args) {
  if (process.env.KUBECTL_DS_NO_FAST_PATH) return false;
  let text;
  try {
    text = (await import('../dist/scaffold-fast.js')).fastScaffold(args);
  } catch {
    return false;
  }
  if (text === undefined) return false;
  writeOut(text);
  return true;
}

/**
 * `kubectl ds`, `kubectl ds --help`, `kubectl ds -h`: the top-level help is static text, rendered at
 * build time (.ci/build.mjs writes dist/help.txt), so printing it needs no CLI. False when the
 * arguments ask for something else or there is no pre-rendered text.
 */
function printTopLevelHelp(args) {
  if (process.env.KUBECTL_DS_RENDER_HELP || !(args.length === 0 || (args.length === 1 && (args[0] === '--help' || args[0] === '-h')))) return false;
  let text;
  try {
    text = process.getBuiltinModule('node:fs').readFileSync(new URL('../dist/help.txt', import.meta.url));
  } catch {
    return false;
  }
  writeOut(text);
  return true;
}

/** Writes text (a Buffer or a string) to stdout at once, without building the stream unless it must. */
function writeOut(text) {
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  const { writeSync } = process.getBuiltinModule('node:fs');
  let at = 0;
  try {
    while (at < buf.length) at += writeSync(1, buf, at);
  } catch (e) {
    // EAGAIN: stdout is a non-blocking pipe that is full: hand the rest to the stream, which waits.
    // Anything else (EPIPE: the reader went away, as in `kubectl ds | head -1`): end quietly, as kubectl does.
    if (e.code === 'EAGAIN') {
      process.stdout.on('error', () => {});
      process.stdout.write(buf.subarray(at));
    }
  }
}
