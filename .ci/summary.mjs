// Totals the vitest JSON reports that .ci/run collected, one line per run and a closing line
// "tests: N passed, N failed, N skipped" that CI reads.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

let passed = 0, failed = 0, skipped = 0;
for (const file of process.argv.slice(2)) {
  let r;
  try {
    r = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    console.log(`${basename(file, '.json')}: no report (the run did not finish)`);
    failed++;
    continue;
  }
  const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${basename(file, '.json')}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${s} skipped`);
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += s;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
