/**
 * Loads and merges kubeconfig files exactly as kubectl does, without loading the API client (completion
 * and `--all-contexts` use it too):
 *   --kubeconfig PATH: only that file, which must exist.
 *   else $KUBECONFIG, split on ':' ; empty and missing entries are skipped; for each cluster, user and
 *   context name the FIRST file that defines it wins; current-context is the first non-empty one.
 *   else ~/.kube/config; else, inside a pod, the in-cluster service account.
 * Relative file paths in a kubeconfig are resolved against the directory of the file that holds them.
 */
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, resolve } from 'node:path';
import { CliError, UsageError } from '../cli/errors.js';
import { parseSimpleYaml } from './simple-yaml.js';

/**
 * The yaml package, loaded only for a kubeconfig the fast path declines (flow style, anchors...): a
 * command's first request need not wait for it. From the installed package, as cli-table3 in print.ts.
 */
function yamlParse(text: string): unknown {
  const { parse } = process.getBuiltinModule('node:module').createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return parse(text);
}

// node:fs through process.getBuiltinModule: its ES module facade would load the fs streams (~5 ms at start).
const { existsSync, readFileSync } = process.getBuiltinModule('node:fs');

export interface KcCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  [k: string]: unknown;
}
export interface KcUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  exec?: { command?: string; [k: string]: unknown };
  [k: string]: unknown;
}
export interface KcContext {
  cluster: string;
  user: string;
  namespace?: string;
}
export interface Kubeconfig {
  clusters: { name: string; cluster: KcCluster }[];
  users: { name: string; user: KcUser }[];
  contexts: { name: string; context: KcContext }[];
  'current-context'?: string;
}

export interface KubeconfigSource {
  /** Where the config came from: the file list, or 'in-cluster'. */
  files: string[];
  inCluster: boolean;
  config: Kubeconfig;
}

export interface Selection {
  /** --kubeconfig, --context, --cluster, --user, -n as typed. */
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
}

export interface Target {
  source: KubeconfigSource;
  contextName: string;
  clusterName: string;
  userName: string;
  cluster: KcCluster;
  user: KcUser;
  namespace: string;
  /** true when the namespace came from -n. */
  explicitNamespace: boolean;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export function kubeconfigFiles(sel: Selection, env: NodeJS.ProcessEnv = process.env): string[] {
  if (sel.kubeconfig) {
    const p = resolve(sel.kubeconfig);
    if (!existsSync(p)) throw new UsageError(`kubeconfig file ${sel.kubeconfig} (from --kubeconfig) does not exist`);
    return [p];
  }
  if (env.KUBECONFIG) {
    const seen = new Set<string>();
    const files: string[] = [];
    for (const part of env.KUBECONFIG.split(delimiter)) {
      if (!part) continue;
      const p = resolve(part);
      if (seen.has(p) || !existsSync(p)) continue;
      seen.add(p);
      files.push(p);
    }
    return files;
  }
  const home = env.HOME ?? homedir();
  const def = resolve(home, '.kube', 'config');
  return existsSync(def) ? [def] : [];
}

function resolvePaths(obj: Record<string, unknown>, keys: string[], dir: string): void {
  for (const k of keys) {
    const v = obj[k];
    if (typeof v === 'string' && v !== '' && !isAbsolute(v)) obj[k] = resolve(dir, v);
  }
}

function readOne(file: string): Kubeconfig {
  let doc: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    // The common layout without the full parser's cold start; anything else goes to the yaml package.
    const fast = parseSimpleYaml(text);
    doc = fast !== undefined ? fast : yamlParse(text);
  } catch (e) {
    throw new CliError(`kubeconfig ${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc == null) return { clusters: [], users: [], contexts: [] };
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new CliError(`kubeconfig ${file} is not a kubeconfig (expected a mapping with clusters, users, contexts)`);
  const d = doc as Record<string, unknown>;
  const dir = dirname(file);
  const list = <T>(key: string, inner: string): { name: string; [k: string]: T | string }[] => {
    const v = d[key];
    if (v == null) return [];
    if (!Array.isArray(v)) throw new CliError(`kubeconfig ${file}: ${key} must be a list`);
    return v.filter((e) => e && typeof e === 'object' && typeof e.name === 'string' && e[inner] && typeof e[inner] === 'object');
  };
  const clusters = list<KcCluster>('clusters', 'cluster') as Kubeconfig['clusters'];
  const users = list<KcUser>('users', 'user') as Kubeconfig['users'];
  const contexts = list<KcContext>('contexts', 'context') as Kubeconfig['contexts'];
  for (const c of clusters) resolvePaths(c.cluster, ['certificate-authority'], dir);
  for (const u of users) {
    resolvePaths(u.user, ['client-certificate', 'client-key', 'tokenFile'], dir);
    const cmd = u.user.exec?.command;
    if (u.user.exec && typeof cmd === 'string' && cmd.includes('/') && !isAbsolute(cmd)) u.user.exec.command = resolve(dir, cmd);
  }
  return { clusters, users, contexts, 'current-context': typeof d['current-context'] === 'string' ? d['current-context'] : undefined };
}

export function mergeKubeconfigs(configs: Kubeconfig[]): Kubeconfig {
  const out: Kubeconfig = { clusters: [], users: [], contexts: [] };
  const seen = { clusters: new Set<string>(), users: new Set<string>(), contexts: new Set<string>() };
  for (const c of configs) {
    for (const key of ['clusters', 'users', 'contexts'] as const) {
      for (const e of c[key] as { name: string }[]) {
        if (seen[key].has(e.name)) continue;
        seen[key].add(e.name);
        (out[key] as { name: string }[]).push(e);
      }
    }
    if (!out['current-context'] && c['current-context']) out['current-context'] = c['current-context'];
  }
  return out;
}

function inClusterSource(env: NodeJS.ProcessEnv): KubeconfigSource | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port || !existsSync(`${SA_DIR}/token`)) return undefined;
  const ns = existsSync(`${SA_DIR}/namespace`) ? readFileSync(`${SA_DIR}/namespace`, 'utf8').trim() : 'default';
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    files: [],
    inCluster: true,
    config: {
      clusters: [{ name: 'in-cluster', cluster: { server, 'certificate-authority': `${SA_DIR}/ca.crt` } }],
      users: [{ name: 'in-cluster', user: { tokenFile: `${SA_DIR}/token` } }],
      contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'in-cluster', namespace: ns } }],
      'current-context': 'in-cluster',
    },
  };
}

export function loadKubeconfig(sel: Selection, env: NodeJS.ProcessEnv = process.env): KubeconfigSource {
  const files = kubeconfigFiles(sel, env);
  if (files.length === 0) {
    const ic = inClusterSource(env);
    if (ic) return ic;
    const where = env.KUBECONFIG ? `none of the files in KUBECONFIG (${env.KUBECONFIG}) exists` : 'KUBECONFIG is unset and ~/.kube/config does not exist';
    throw new CliError(`no kubeconfig found: ${where}; pass --kubeconfig or set KUBECONFIG (try 'kubectl ds sim start' for a simulated cluster)`);
  }
  return { files, inCluster: false, config: mergeKubeconfigs(files.map(readOne)) };
}

/** Picks the context, cluster, user and namespace as kubectl does for the given flags. */
export function selectTarget(source: KubeconfigSource, sel: Selection): Target {
  const cfg = source.config;
  const contextName = sel.context ?? cfg['current-context'];
  const names = cfg.contexts.map((c) => c.name);
  if (!contextName && !(sel.cluster && sel.user)) {
    throw new CliError(
      `no current context is set in ${source.files.join(':')}; pass --context (known contexts: ${names.join(', ') || 'none'})`,
    );
  }
  const ctx = contextName ? cfg.contexts.find((c) => c.name === contextName)?.context : undefined;
  if (contextName && !ctx) {
    throw new CliError(`context "${contextName}" does not exist in ${source.files.join(':') || 'the kubeconfig'} (known contexts: ${names.join(', ') || 'none'})`);
  }
  const clusterName = sel.cluster ?? ctx?.cluster ?? '';
  const userName = sel.user ?? ctx?.user ?? '';
  const cluster = cfg.clusters.find((c) => c.name === clusterName)?.cluster;
  if (!cluster) throw new CliError(`cluster "${clusterName}" of context "${contextName ?? ''}" is not defined in the kubeconfig`);
  if (!cluster.server) throw new CliError(`cluster "${clusterName}" in the kubeconfig has no server address`);
  const user = cfg.users.find((u) => u.name === userName)?.user ?? {};
  const namespace = sel.namespace || ctx?.namespace || 'default';
  return {
    source,
    contextName: contextName ?? '',
    clusterName,
    userName,
    cluster,
    user,
    namespace,
    explicitNamespace: !!sel.namespace,
  };
}

/** Context names of the merged kubeconfig (completion, --all-contexts); [] when there is none. */
export function contextNames(sel: Selection, env: NodeJS.ProcessEnv = process.env): string[] {
  try {
    return loadKubeconfig(sel, env).config.contexts.map((c) => c.name);
  } catch {
    return [];
  }
}
