// Shared by the executables in bin/: refuse, in one line, a Node.js older than the client library needs.
// Written for any Node version: no syntax or API newer than Node 12.
export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 19)) {
    process.stderr.write(
      `error: kubectl-ds needs Node.js 22.19 or newer (the LTS lines 22 and 24); this is Node.js ${process.versions.node}. Install Node.js 24 and run it again.\n`,
    );
    process.exit(1);
  }
}

// Start-up: keep V8's compiled code of the bundle on disk (node:module enableCompileCache, Node 22.1+),
// so later runs skip parsing and compiling it. The cache lives in the system temp directory
// (NODE_COMPILE_CACHE overrides it; NODE_DISABLE_COMPILE_CACHE=1 turns it off) and is checked against
// the files' contents, so a rebuilt bundle is compiled afresh.
export async function enableCompileCache() {
  try {
    // process.getBuiltinModule (Node 22.3+) rather than import(): no ES module facade to build.
    const mod = process.getBuiltinModule ? process.getBuiltinModule('node:module') : await import('node:module');
    if (typeof mod.enableCompileCache === 'function') mod.enableCompileCache();
  } catch {
    // an optimisation only
  }
}
