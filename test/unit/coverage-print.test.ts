import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/output/print.js';

// renderTable's linear fast path (used for 5,000-row coverage tables) must lay out exactly as cli-table3.
describe('renderTable fast path', () => {
  const headers = ['NODE', 'SHOULD RUN', 'WHY NOT', 'X'];
  const rows = [
    ['cp-1', 'no', 'taint a:NoSchedule is not tolerated', '·'],
    ['node-10', 'yes', '-', '✓'],
    ['n', '', 'x', '\x1b[31m✗\x1b[39m'],
  ];
  it('is the kubectl layout: columns padded to the widest cell plus three spaces, no trailing spaces', () => {
    expect(renderTable(headers, rows)).toBe(
      [
        'NODE      SHOULD RUN   WHY NOT                               X',
        'cp-1      no           taint a:NoSchedule is not tolerated   ·',
        'node-10   yes          -                                     ✓',
        'n                      x                                     \x1b[31m✗\x1b[39m',
      ].join('\n'),
    );
  });
  it('agrees with cli-table3 (a wide character forces cli-table3; its line is then dropped)', () => {
    const slow = renderTable(headers, [...rows, ['あ', 'no', '-', '·']]).split('\n');
    expect(slow.slice(0, -1).join('\n')).toBe(renderTable(headers, rows));
  });
});
