import type { Command } from 'commander';

/**
 * Every subcommand of `kubectl ds`. A command's module is loaded only when that command runs (or for
 * completion), so `kubectl ds --help` and offline commands never load the API client.
 *
 * A command module exports `define(cmd)`: it adds arguments, options, help and the action to `cmd`,
 * which already has its name and summary. Cluster access goes through `await import('../kube/client.js')`.
 */
export interface CommandModule {
  define(cmd: Command): void;
}

export interface CommandEntry {
  name: string;
  aliases?: string[];
  summary: string;
  hidden?: boolean;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'scaffold', summary: 'Print a DaemonSet manifest built from flags or a preset (no cluster needed)', load: () => import('./scaffold.js') },
  { name: 'create', summary: 'Create a DaemonSet from flags or a preset (as `kubectl create daemonset`)', load: () => import('./create.js') },
  { name: 'apply', summary: 'Create or update DaemonSets from a manifest (server-side apply), on one cluster or several', load: () => import('./apply.js') },
  { name: 'validate', summary: 'Check DaemonSet manifests for every mistake the API server would reject, and more', load: () => import('./validate.js') },
  { name: 'coverage', summary: 'Show which nodes run the daemon pod, which should, and why not', load: () => import('./coverage.js') },
  { name: 'status', summary: 'Watch a rollout until it finishes or gets stuck, naming the nodes that block it', load: () => import('./status.js') },
  { name: 'history', summary: "List a DaemonSet's revisions, show one, or diff two", load: () => import('./history.js') },
  { name: 'undo', summary: 'Roll a DaemonSet back to an earlier revision', load: () => import('./undo.js') },
  { name: 'restart', summary: "Restart every pod of a DaemonSet through a rolling update", load: () => import('./restart.js') },
  { name: 'delete', summary: 'Delete DaemonSets, saying exactly which pods are deleted or left running', load: () => import('./delete.js') },
  { name: 'drift', summary: 'Compare a DaemonSet across clusters (contexts) and show what differs', load: () => import('./drift.js') },
  { name: 'sim', summary: 'Run a simulated multi-node cluster on 127.0.0.1 to try everything without a cluster', load: () => import('./sim.js') },
  { name: 'completion', summary: 'Print a shell completion script (bash, zsh, fish, powershell)', load: () => import('./completion.js') },
  { name: '__complete', summary: 'Completion candidates for the shells and kubectl (internal)', hidden: true, load: () => import('./complete.js') },
];
