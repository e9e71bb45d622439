// Reference for the start-up benchmark: the least a Node.js process can do for a cluster command's
// first answer. One HTTPS GET, with the CA and token of the API stub's kubeconfig (found by regular
// expressions, no YAML parser), exits when the answer has arrived. No CLI, no modules of ours.
//   node https-get.mjs KUBECONFIG
const { readFileSync } = process.getBuiltinModule('node:fs');
const https = process.getBuiltinModule('node:https');
const kc = readFileSync(process.argv[2], 'utf8');
const server = /server: (\S+)/.exec(kc)[1];
const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(kc)[1], 'base64');
const token = /token: (\S+)/.exec(kc)[1];
https
  .request(`${server}/apis/apps/v1/namespaces/stub-ns/daemonsets/x`, { ca, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }, (res) => {
    res.resume();
    res.on('end', () => process.exit(0));
  })
  .end();
