/**
 * A whole simulated cluster: the store, the API server, the garbage collector and the controllers,
 * started from a scenario. `startCluster()` is what `kubectl ds sim start` and the tests' startSim()
 * run; the SimHandle it returns drives nodes and faults from the outside.
 */
import { randomBytes } from 'node:crypto';
import { startControllers, type Controllers } from './controllers/index.js';
import { Faults } from './faults.js';
import { GarbageCollector } from './gc.js';
import { nodeObject, scenarioNodes, type NodeSpec, type ScenarioName } from './scenarios.js';
import { startApiServer, type ApiServer, type RequestRecord } from './server.js';
import { Store, type KObj } from './store.js';
import { generateServingCerts } from './tls.js';

export type { NodeSpec, ScenarioName } from './scenarios.js';
export type { RequestRecord } from './server.js';

/** The annotation the simulated kubelet honours: heartbeats stop while it is "true". */
export const STOPPED_ANNOTATION = 'sim.kubectl-ds/stopped';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface ClusterOptions {
  scenario?: ScenarioName;
  /** Node count (see scenarios.ts). */
  nodes?: number;
  /** 0 or unset: a free port. */
  port?: number;
  host?: string;
  /** Passed to the controllers: how long a stopped node stays Ready. */
  nodeNotReadyAfterMs?: number;
  /**
   * false: no DaemonSet controller, scheduler, kubelets or node lifecycle (the garbage collector still
   * runs), so that tests can place pods and revisions by hand in states a controller would not leave
   * (misscheduled pods, duplicates, strays). Default true.
   */
  controllers?: boolean;
  bookmarkIntervalMs?: number;
  /** Called for every API request once answered. */
  onRequest?: (r: RequestRecord) => void;
}

export interface SimHandle {
  store: Store;
  faults: Faults;
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  tokens: { admin: string; viewer: string };
  /** PEM of the CA that signed the serving certificate. */
  caCert: string;
  /** The last requests served (newest last; at most 2,000), for tests that check what a command sent. */
  requests: RequestRecord[];
  /** A kubeconfig (YAML) with contexts `ds-sim` (admin) and `ds-sim-viewer` (read-only), current `ds-sim`. */
  kubeconfig(): string;
  /** Adds a Node; it carries node.kubernetes.io/not-ready:NoSchedule until the node lifecycle sees it Ready. */
  addNode(spec: NodeSpec): KObj;
  /** Stops the node's kubelet (heartbeats end; the node lifecycle turns it NotReady/Unknown and taints it). */
  stopNode(name: string): void;
  startNode(name: string): void;
  /** Deletes the Node object; its pods are then removed. */
  removeNode(name: string): void;
  /** Resolves when the controllers and the garbage collector are idle. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const token = () => randomBytes(24).toString('hex');

export function kubeconfigYaml(url: string, caCert: string, tokens: { admin: string; viewer: string }): string {
  const ca = Buffer.from(caCert).toString('base64');
  return `apiVersion: v1
kind: Config
clusters:
- name: ds-sim
  cluster:
    server: ${url}
    certificate-authority-data: ${ca}
users:
- name: ds-sim-admin
  user:
    token: ${tokens.admin}
- name: ds-sim-viewer
  user:
    token: ${tokens.viewer}
contexts:
- name: ds-sim
  context:
    cluster: ds-sim
    user: ds-sim-admin
    namespace: default
- name: ds-sim-viewer
  context:
    cluster: ds-sim
    user: ds-sim-viewer
    namespace: default
current-context: ds-sim
preferences: {}
`;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<SimHandle> {
  const nodes = scenarioNodes(opts.scenario ?? 'mixed', opts.nodes);
  const store = new Store();
  for (const ns of SYSTEM_NAMESPACES) {
    store.create('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  }
  // The scenario's nodes have been up for a while: Ready, without the not-ready taint.
  let nodeIndex = 0;
  for (const spec of nodes) store.create('Node', nodeObject(spec, nodeIndex++, store.now()));

  const faults = new Faults();
  const gc = new GarbageCollector(store, faults);
  let controllers: Controllers;
  try {
    controllers =
      opts.controllers === false
        ? { stop: () => {}, settle: async () => {} }
        : startControllers(store, { nodeNotReadyAfterMs: opts.nodeNotReadyAfterMs });
  } catch (e) {
    gc.stop();
    throw e;
  }
  const certs = generateServingCerts();
  const tokens = { admin: token(), viewer: token() };
  const requests: RequestRecord[] = [];
  let server: ApiServer;
  try {
    server = await startApiServer({
      store,
      faults,
      certs,
      tokens: { [tokens.admin]: { name: 'admin', readOnly: false }, [tokens.viewer]: { name: 'viewer', readOnly: true } },
      host: opts.host,
      port: opts.port,
      bookmarkIntervalMs: opts.bookmarkIntervalMs,
      onRequest: (r) => {
        requests.push(r);
        if (requests.length > 2000) requests.splice(0, requests.length - 2000);
        opts.onRequest?.(r);
      },
    });
  } catch (e) {
    controllers.stop();
    gc.stop();
    throw e;
  }

  const mustGetNode = (name: string): KObj => {
    const n = store.get('Node', undefined, name);
    if (!n) throw new Error(`node "${name}" not found`);
    return n;
  };
  const setStopped = (name: string, stopped: boolean) => {
    const n = mustGetNode(name);
    const ann = { ...(n.metadata.annotations ?? {}) };
    if (stopped) ann[STOPPED_ANNOTATION] = 'true';
    else delete ann[STOPPED_ANNOTATION];
    n.metadata.annotations = ann;
    store.update('Node', n);
  };
  let stopped = false;

  return {
    store,
    faults,
    url: server.url,
    port: server.port,
    tokens,
    caCert: certs.caCert,
    requests,
    kubeconfig: () => kubeconfigYaml(server.url, certs.caCert, tokens),
    addNode: (spec) => store.create('Node', nodeObject(spec, nodeIndex++, store.now(), { notReadyTaint: true })),
    stopNode: (name) => setStopped(name, true),
    startNode: (name) => setStopped(name, false),
    removeNode: (name) => {
      mustGetNode(name);
      store.requestDeletion('Node', undefined, name, {});
    },
    settle: async () => {
      // Until a whole round changes nothing: controllers idle, collector idle, no new resourceVersion.
      for (let i = 0; i < 1000; i++) {
        const before = store.currentResourceVersion();
        await controllers.settle();
        await gc.idle();
        await new Promise((r) => setImmediate(r));
        if (store.currentResourceVersion() === before && !gc.busy) return;
      }
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      controllers.stop();
      gc.stop();
      await server.close();
    },
  };
}
