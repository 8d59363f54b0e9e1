/**
 * A Markdown walkthrough read as the steps a reader follows, so that a test can follow them literally:
 * - a code block right under a line `**`path`**` is a file to save at that path, with exactly that content;
 * - a `sh` block is commands to type, one per line (`#` comments ignored). Only what a reader types without
 *   shell knowledge is allowed: `NAME=value` assignments before the command, words and 'single-quoted words',
 *   and a trailing `&` to run it in the background, with `# wait for "text"` to say what it prints when ready.
 *   Pipes, redirections, `$`, `;`, `&&` and globs are refused, so the doc stays runnable without a shell;
 * - the walkthrough ends at the heading `## Reference`; every block before it must be one of the two.
 * `runSteps` then does exactly that in a directory: no shell, each command spawned with its argument vector.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Command {
  line: string;
  env: Record<string, string>;
  argv: string[];
  background: boolean;
  /** For a background command: the text it prints once ready. */
  waitFor: string | undefined;
}

export type Step = { kind: 'file'; path: string; content: string } | { kind: 'command'; command: Command };

const SHELL_ONLY = /[|;<>$`(){}*?\\"]|&&/;

export function parseCommand(line: string): Command {
  let text = line;
  let waitFor: string | undefined;
  const comment = /\s+#\s*(.*)$/.exec(text);
  if (comment) {
    waitFor = /^wait for "([^"]+)"$/.exec(comment[1] as string)?.[1];
    text = text.slice(0, comment.index);
  }
  const words: string[] = [];
  for (const [word] of text.trim().matchAll(/(?:'[^']*'|[^\s'])+/g)) {
    // A word is unquoted text and 'quoted text' side by side; only the unquoted parts could mean something to a shell.
    let value = '';
    for (const [part, quoted] of word.matchAll(/'([^']*)'|[^']+/g)) {
      if (quoted === undefined && SHELL_ONLY.test(part)) throw new Error(`"${line}" needs a shell (${part}): write the step so a reader can type it as it is`);
      value += quoted ?? part;
    }
    words.push(value);
  }
  if (/'/.test(text.replace(/'[^']*'/g, ''))) throw new Error(`"${line}" has an unclosed quote`);
  const background = words[words.length - 1] === '&';
  if (background) words.pop();
  if (words.some((w) => w.includes('&'))) throw new Error(`"${line}": & only at the end, to run a command in the background`);
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] as string)) {
    const [name, ...rest] = (words.shift() as string).split('=');
    env[name as string] = rest.join('=');
  }
  if (words.length === 0) throw new Error(`"${line}" has no command`);
  if (background && waitFor === undefined) throw new Error(`"${line}" runs in the background but does not say what to wait for (# wait for "...")`);
  return { line, env, argv: words, background, waitFor };
}

/** The steps of the walkthrough part of `markdown`, in order. */
export function walkthroughSteps(markdown: string): Step[] {
  const end = markdown.indexOf('\n## Reference');
  const text = end < 0 ? markdown : markdown.slice(0, end);
  const steps: Step[] = [];
  for (const m of text.matchAll(/(?:^|\n)```([a-z]*)\n([\s\S]*?)\n```(?=\n|$)/g)) {
    const [whole, lang, body] = m as unknown as [string, string, string];
    // The paragraph right above the block: its first line may be the label, its text wrapping onto more lines.
    const fence = m.index + (whole.startsWith('\n') ? 1 : 0);
    const above = (text.slice(0, fence).split('\n\n').pop() ?? '').trim().split('\n');
    const before = above.some((l) => l.startsWith('```')) ? '' : above[0] as string;
    const label = /^\*\*`([^`]+)`\*\*/.exec(before);
    if (label) {
      steps.push({ kind: 'file', path: label[1] as string, content: `${body}\n` });
    } else if (lang === 'sh') {
      for (const line of body.split('\n')) {
        if (line.trim() === '' || line.trim().startsWith('#')) continue;
        steps.push({ kind: 'command', command: parseCommand(line) });
      }
    } else {
      throw new Error(`a \`${lang || 'plain'}\` block after "${above[above.length - 1]}" is neither a file (**\`path\`** on the line above) nor sh commands`);
    }
  }
  return steps;
}

export interface CommandResult {
  command: Command;
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Followed {
  results: CommandResult[];
  /** Stops the background commands (SIGTERM) and waits for them. */
  stop(): Promise<void>;
}

/** Does the steps in `dir`: saves the files, runs the commands (each must exit 0) with `env` under their own. */
export async function runSteps(steps: readonly Step[], dir: string, env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<Followed> {
  const results: CommandResult[] = [];
  const background: { child: ChildProcess; exited: Promise<void> }[] = [];
  const stop = async () => {
    for (const b of background) b.child.kill('SIGTERM');
    await Promise.all(background.map((b) => b.exited));
  };
  try {
    for (const step of steps) {
      if (step.kind === 'file') {
        const full = path.join(dir, step.path);
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(full, step.content);
        continue;
      }
      const { command } = step;
      const child = spawn(command.argv[0] as string, command.argv.slice(1), {
        cwd: dir, env: { ...env, ...command.env }, stdio: ['ignore', 'pipe', 'pipe'], shell: false,
      });
      const result: CommandResult = { command, code: null, stdout: '', stderr: '' };
      results.push(result);
      child.stdout?.setEncoding('utf8').on('data', (s: string) => { result.stdout += s; });
      child.stderr?.setEncoding('utf8').on('data', (s: string) => { result.stderr += s; });
      const exited = new Promise<void>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code) => { result.code = code; resolve(); });
      });
      const fail = (why: string) => new Error(`step "${command.line}" ${why}\nstdout: ${result.stdout.slice(-4000)}\nstderr: ${result.stderr.slice(-4000)}`);
      if (command.background) {
        background.push({ child, exited: exited.catch(() => undefined) });
        const started = Date.now();
        while (!`${result.stdout}${result.stderr}`.includes(command.waitFor as string)) {
          if (result.code !== null) throw fail(`exited (${result.code}) before printing "${command.waitFor}"`);
          if (Date.now() - started > 60_000) throw fail(`did not print "${command.waitFor}" within 60 s`);
          await new Promise((r) => setTimeout(r, 50));
        }
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => { timer = setTimeout(() => r(false), timeoutMs); })]);
      clearTimeout(timer);
      if (!finished) {
        child.kill('SIGKILL');
        throw fail(`did not finish within ${timeoutMs / 1000} s`);
      }
      if (result.code !== 0) throw fail(`exited with ${result.code}`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { results, stop };
}
