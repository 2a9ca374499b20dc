// Shell completion: the script generator and the hidden completer it calls.
import { lazy, completionCmd } from '../lazy';
import { CommandSpec } from '../spec';

export const completion: CommandSpec = {
  name: 'completion',
  summary: 'Output shell completion code for the specified shell (bash or zsh)',
  usage: 'coxctl completion (bash|zsh)',
  examples: `# Load completion into the current bash
source <(coxctl completion bash)

# Install for zsh
coxctl completion zsh > "\${fpath[1]}/_coxctl"`,
  run: lazy(completionCmd, 'runCompletion'),
};

export const complete: CommandSpec = {
  name: '__complete',
  summary: 'Completion candidates for the words given (used by the shell scripts)',
  usage: 'coxctl __complete WORDS…',
  hidden: true,
  run: lazy(completionCmd, 'runComplete'),
};
