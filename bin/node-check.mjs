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
