// Builds the installed form of kubectl-ds: one esbuild ESM bundle per entry point, code-split so that
// the heavy API client (@kubernetes/client-node) and ora live in chunks that only cluster commands load.
// Runs as `npm run build` and as the `prepare` step of `npm ci`.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { 'kubectl-ds': 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minify: true,
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CJS dependencies call require(); give the ESM bundle one.
  banner: { js: 'import{createRequire as __kdsCreateRequire}from"node:module";const require=__kdsCreateRequire(import.meta.url);' },
  // The version in the User-Agent (src/cli/version.ts).
  define: { __KDS_VERSION__: JSON.stringify(JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).version) },
  // yaml's "node" export is CommonJS, which esbuild can neither tree-shake nor evaluate lazily; its
  // ESM build (the same code) is both, and loads faster at start-up.
  plugins: [
    {
      // commander requires node:child_process at load time, only to run executable subcommands, which
      // we never use; loading it (with net, dgram, streams) cost every command several ms. Hand
      // commander a stand-in that loads the real module on first use.
      name: 'lazy-child-process',
      setup(b) {
        b.onResolve({ filter: /^(node:)?child_process$/ }, (a) => (/[\\/]commander[\\/]/.test(a.importer) ? { path: 'child_process', namespace: 'kds-lazy' } : undefined));
        b.onLoad({ filter: /.*/, namespace: 'kds-lazy' }, () => ({
          contents: "module.exports = new Proxy({}, { get: (_, k) => require('node:child_process')[k] });",
          loader: 'js',
        }));
      },
    },
    {
      name: 'yaml-esm',
      setup(b) {
        b.onResolve({ filter: /^yaml$/ }, () => ({ path: `${root}/node_modules/yaml/browser/index.js` }));
      },
    },
  ],
  logLevel: 'warning',
});
