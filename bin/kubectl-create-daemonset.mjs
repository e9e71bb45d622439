#!/usr/bin/env node
// Executable for `kubectl create daemonset ...`.
import { checkNode, enableCompileCache } from './node-check.mjs';

checkNode();
await enableCompileCache();
const { main } = await import('../dist/kubectl-ds.js');
await main(process.argv.slice(2), 'create-daemonset');
