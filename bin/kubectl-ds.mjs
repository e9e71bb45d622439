#!/usr/bin/env node
// Executable for `kubectl ds ...`.
import { checkNode } from './node-check.mjs';

checkNode();
const { main } = await import('../dist/kubectl-ds.js');
await main(process.argv.slice(2), 'kubectl-ds');
