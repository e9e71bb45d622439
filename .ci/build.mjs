// Builds the installed form of kubectl-ds: one esbuild ESM bundle per entry point, code-split so that
// the heavy API client (@kubernetes/client-node) and ora live in chunks that only cluster commands load.
// Runs as `npm run build` and as the `prepare` step of `npm ci`.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  // scaffold-fast: `kubectl ds scaffold` without commander or yaml (src/cli/fast-scaffold.ts).
  entryPoints: { 'kubectl-ds': 'src/main.ts', 'scaffold-fast': 'src/cli/fast-scaffold.ts' },
  metafile: true,
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
  // (process.getBuiltinModule, not an import of node:module: no ES module facade to build.)
  banner: { js: 'const require=process.getBuiltinModule("node:module").createRequire(import.meta.url);' },
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
      // print.ts always gives chalk its colour level (colorEnabled decides: TTY, NO_COLOR, --no-color), so
      // chalk's own terminal detection is never used; it imports node:process, whose ES module facade
      // creates stdin and stdout on load (~8 ms at every start). Give chalk a detection that detects nothing.
      name: 'chalk-without-detection',
      setup(b) {
        b.onResolve({ filter: /^#supports-color$/ }, () => ({ path: 'supports-color', namespace: 'kds-chalk' }));
        b.onLoad({ filter: /.*/, namespace: 'kds-chalk' }, () => ({ contents: 'export default { stdout: false, stderr: false };', loader: 'js' }));
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

// scaffold's fast path exists to stay light: fail the build if what it loads (its entry and the chunks
// it imports, statically or not) ever takes in commander or the yaml library.
{
  const outputs = result.metafile.outputs;
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imp of outputs[file]?.imports ?? []) if (!imp.external) visit(imp.path);
  };
  visit('dist/scaffold-fast.js');
  const heavy = [...seen].flatMap((f) => Object.keys(outputs[f]?.inputs ?? {})).filter((i) => /node_modules\/(commander|yaml)\//.test(i));
  if (heavy.length) throw new Error(`build: dist/scaffold-fast.js loads ${heavy[0]} (it must load neither commander nor yaml)`);
}

// The top-level help (`kubectl ds`, `kubectl ds --help`, `-h`) is static text: render it once with the
// CLI itself, so that bin/kubectl-ds.mjs prints it without loading the CLI. Where the build's Node cannot
// run the CLI, no file is written and the CLI renders its help at run time.
const rendered = spawnSync(process.execPath, [`${root}/bin/kubectl-ds.mjs`, '--help'], { env: { ...process.env, KUBECTL_DS_RENDER_HELP: '1', NO_COLOR: '1' }, encoding: 'utf8' });
if (rendered.status === 0 && rendered.stdout.startsWith('Usage: kubectl ds')) writeFileSync(`${root}/dist/help.txt`, rendered.stdout);
else console.warn(`build: top-level help not pre-rendered (${(rendered.stderr || '').trim().split('\n')[0] || `exit ${rendered.status}`})`);
