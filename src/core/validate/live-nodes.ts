/**
 * `validate --live`, DS404: the nodes of the cluster that the DaemonSet would not run on, and why, from the
 * cluster's real labels and taints, through the same eligibility core as `kubectl ds coverage`.
 * Nodes excluded for the same reason are grouped into one finding, with what to change if the daemon
 * should run there. Pure.
 */
import { nodeEligibility, type EligibilityNode, type Exclusion, type SchedulingSpec } from '../eligibility.js';

export interface NodeFinding {
  id: 'DS404';
  path: string[];
  message: string;
  fix: string;
}

function names(list: string[], max = 5): string {
  return list.length <= max ? list.join(', ') : `${list.slice(0, max).join(', ')} and ${list.length - max} more`;
}

function fixFor(x: Exclusion, nodes: string[]): { path: string[]; fix: string } {
  const tmpl = ['spec', 'template', 'spec'];
  switch (x.rule) {
    case 'taint': {
      const t = x.taint!;
      if (t.key === 'node.kubernetes.io/not-ready' || t.key === 'node.kubernetes.io/unreachable') {
        return { path: [...tmpl, 'tolerations'], fix: `bring the node back (kubectl describe node ${nodes[0]}), or tolerate {key: ${t.key}, operator: Exists} if the daemon must run on unhealthy nodes` };
      }
      const tol = t.value ? `{key: ${t.key}, operator: Equal, value: ${t.value}, effect: ${t.effect}}` : `{key: ${t.key}, operator: Exists, effect: ${t.effect}}`;
      return { path: [...tmpl, 'tolerations'], fix: `if the daemon should run there, add the toleration ${tol}` };
    }
    case 'nodeSelector':
      return { path: [...tmpl, 'nodeSelector'], fix: 'if the daemon should run there, label the node (kubectl label node NODE KEY=VALUE) or relax spec.template.spec.nodeSelector' };
    case 'nodeAffinity':
      return { path: [...tmpl, 'affinity'], fix: 'if the daemon should run there, change the required node affinity or the node labels' };
    case 'nodeName':
      return { path: [...tmpl, 'nodeName'], fix: 'remove spec.template.spec.nodeName: the DaemonSet controller places one pod on every eligible node itself' };
  }
}

/** DS404 findings for a DaemonSet pod template spec against the cluster's nodes. */
export function nodeCoverageFindings(template: SchedulingSpec | undefined, nodes: EligibilityNode[]): NodeFinding[] {
  const groups = new Map<string, { x: Exclusion; nodes: string[] }>();
  let eligible = 0;
  for (const n of nodes) {
    const e = nodeEligibility(template, n);
    if (e.shouldRun) {
      eligible++;
      continue;
    }
    for (const x of e.reasons) {
      const g = groups.get(x.message);
      if (g) g.nodes.push(n.metadata?.name ?? '?');
      else groups.set(x.message, { x, nodes: [n.metadata?.name ?? '?'] });
    }
  }
  const out: NodeFinding[] = [];
  const total = nodes.length;
  for (const { x, nodes: ns } of groups.values()) {
    const { path, fix } = fixFor(x, ns);
    out.push({
      id: 'DS404',
      path,
      message: `would not run on ${ns.length} of ${total} node${total === 1 ? '' : 's'} (${names(ns.sort())}): ${x.message}; it would run on ${eligible === 0 ? 'no node at all' : `${eligible} node${eligible === 1 ? '' : 's'}`}`,
      fix,
    });
  }
  return out;
}
