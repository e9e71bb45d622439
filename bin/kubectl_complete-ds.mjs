#!/usr/bin/env node
// Executable for `kubectl's plugin completion (kubectl ds <TAB>)`.
import { checkNode, enableCompileCache } from './node-check.mjs';

checkNode();
await enableCompileCache();
const { main } = await import('../dist/kubectl-ds.js');
await main(process.argv.slice(2), 'complete');
