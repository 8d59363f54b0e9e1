/**
 * A small, dependency-free look at argv before commander is loaded: expands lsmcli's aliases and finds the
 * command and the connection settings, so main.ts can start the plugin while the rest of the CLI loads.
 * commander remains the judge of the arguments: what is found here is only used when it agrees.
 */
import { globalValueOptions } from './globals.js';
import { findCommand, listAliases } from './table.js';

export interface PreParsed {
  /** argv with the alias at the command position expanded (`lv` -> `list --type volumes`). */
  argv: string[];
  /** The command's full name, or undefined when there is none (or it is unknown). */
  command: string | undefined;
  /** A word stands where the command goes (known or not); false for `lsmcli -u sim://`. */
  hasCommandWord: boolean;
  /** Last `-u/--uri` value. */
  uri: string | undefined;
  /** Last `-w/--wait` value, as written. */
  wait: string | undefined;
  prompt: boolean;
  /** `-h`/`--help` or `-v`/`--version` was given. */
  help: boolean;
  /** `-v`/`--version` comes before any `-h`: only the version is printed (argparse acts on the first). */
  version: boolean;
  /** `-o json` / `--output json` was given (errors are then printed as JSON too). */
  json: boolean;
}

function optionValue(token: string, long: string, short: string): string | undefined {
  if (token.startsWith(`--${long}=`)) return token.slice(long.length + 3);
  if (token.startsWith(`-${short}`) && token.length > 2 && !token.startsWith('--')) return token.slice(2);
  return undefined;
}

/** Expands the alias at the command position, then scans for the global options that matter before parsing. */
export function preParse(input: readonly string[]): PreParsed {
  const argv = [...input];
  let commandIndex = -1;
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i] as string;
    if (t === '--') break;
    if (t.startsWith('-')) {
      if (globalValueOptions.has(t)) i++;
      continue;
    }
    commandIndex = i;
    break;
  }
  let command: string | undefined;
  if (commandIndex >= 0) {
    const word = argv[commandIndex] as string;
    const list = listAliases.find((a) => a.alias === word);
    if (list) {
      argv.splice(commandIndex, 1, 'list', '--type', list.type);
      command = 'list';
    } else {
      const spec = findCommand(word);
      if (spec) {
        argv[commandIndex] = spec.name;
        command = spec.name;
      }
    }
  }
  const found: PreParsed = { argv, command, hasCommandWord: commandIndex >= 0, uri: undefined, wait: undefined, prompt: false, help: false, version: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i] as string;
    if (t === '--') break;
    if (t === '-u' || t === '--uri') found.uri = argv[++i];
    else if (t === '-w' || t === '--wait') found.wait = argv[++i];
    else if (t === '-P' || t === '--prompt') found.prompt = true;
    else if (t === '-h' || t === '--help' || t === '-v' || t === '--version') {
      if (!found.help) found.version = t === '-v' || t === '--version';
      found.help = true;
    }
    else if (t === '-o' || t === '--output') found.json = argv[++i]?.toLowerCase() === 'json';
    else if (globalValueOptions.has(t)) i++;
    else {
      const uri = optionValue(t, 'uri', 'u');
      if (uri !== undefined) found.uri = uri;
      const wait = optionValue(t, 'wait', 'w');
      if (wait !== undefined) found.wait = wait;
      const output = optionValue(t, 'output', 'o');
      if (output !== undefined) found.json = output.toLowerCase() === 'json';
    }
  }
  return found;
}

/**
 * A command option that takes a value, followed by a word starting with `-` (`--name -foo`): commander would
 * read `-foo` as the global flags `-f -o o` and complain about `-o`. argparse (lsm's lsmcli) refuses it too, and
 * takes `--name=-foo`; say so. A negative number (`--anonuid -1`) and a lone `-` are values.
 */
export function dashValueError(argv: readonly string[], valueOptions: ReadonlySet<string>): string | undefined {
  for (let i = 0; i < argv.length - 1; i++) {
    const t = argv[i] as string;
    if (t === '--') return undefined;
    const next = argv[i + 1] as string;
    if (valueOptions.has(t) && next.length > 1 && next.startsWith('-') && !/^-[0-9]/.test(next)) {
      return `argument ${t}: expected one argument; to give a value that starts with "-", write ${t}=${next}`;
    }
  }
  return undefined;
}
