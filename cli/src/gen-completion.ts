/** Prints the bash completion script: `node cli/dist/gen-completion.js > cli/completion/lsmcli.bash`. */
import { renderBashCompletion } from './completion.js';

process.stdout.write(renderBashCompletion());
