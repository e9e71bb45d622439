#!/usr/bin/env node
// Executable for `kubectl ds ...`.
import { checkNode, enableCompileCache } from './node-check.mjs';

checkNode();
const argv = process.argv.slice(2);
if (!printTopLevelHelp(argv)) {
  await enableCompileCache();
  const { main } = await import('../dist/kubectl-ds.js');
  await main(argv, 'kubectl-ds');
}

/**
 * `kubectl ds`, `kubectl ds --help`, `kubectl ds -h`: the top-level help is static text, rendered at
 * build time (.ci/build.mjs writes dist/help.txt), so printing it needs no CLI. False when the
 * arguments ask for something else or there is no pre-rendered text.
 */
function printTopLevelHelp(args) {
  if (process.env.KUBECTL_DS_RENDER_HELP || !(args.length === 0 || (args.length === 1 && (args[0] === '--help' || args[0] === '-h')))) return false;
  const fs = process.getBuiltinModule('node:fs');
  let text;
  try {
    text = fs.readFileSync(new URL('../dist/help.txt', import.meta.url));
  } catch {
    return false;
  }
  let at = 0;
  try {
    while (at < text.length) at += fs.writeSync(1, text, at);
  } catch (e) {
    // EAGAIN: stdout is a non-blocking pipe that is full: hand the rest to the stream, which waits.
    // Anything else (EPIPE: the reader went away, as in `kubectl ds | head -1`): end quietly, as kubectl does.
    if (e.code === 'EAGAIN') {
      process.stdout.on('error', () => {});
      process.stdout.write(text.subarray(at));
    }
  }
  return true;
}
