import type { Command } from 'commander';
import { UsageError } from '../cli/errors.js';
import { completionScript, SHELLS, type Shell } from '../cli/completion-scripts.js';

/** `kubectl ds completion bash|zsh|fish|powershell`: prints the completion script for `kubectl-ds`. */
export function define(cmd: Command): void {
  cmd
    .argument('[shell]', `the shell: ${SHELLS.join(', ')}`)
    .usage(SHELLS.join('|'))
    .addHelpText(
      'after',
      `
The script completes the 'kubectl-ds' command: subcommands, flags, flag values, contexts from the
kubeconfig, and namespaces, DaemonSets and nodes from the cluster (1 s at most; nothing on failure).
'kubectl ds <TAB>' is completed by kubectl itself (1.26+) through the 'kubectl_complete-ds'
executable installed with this package: nothing to load for that.

Examples:
  source <(kubectl ds completion bash)                       # bash, this shell (needs bash-completion)
  kubectl ds completion bash > ~/.local/share/bash-completion/completions/kubectl-ds
  kubectl ds completion zsh > "\${fpath[1]}/_kubectl-ds"      # zsh, then start a new shell
  kubectl ds completion fish > ~/.config/fish/completions/kubectl-ds.fish
  kubectl ds completion powershell | Out-String | Invoke-Expression`,
    )
    .action((shell: string | undefined) => {
      if (shell === undefined) throw new UsageError(`name a shell: kubectl ds completion ${SHELLS.join('|')}`);
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw new UsageError(`unknown shell "${shell}": kubectl ds completion supports ${SHELLS.join(', ')}`);
      }
      process.stdout.write(completionScript(shell as Shell));
    });
}
