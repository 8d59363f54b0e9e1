// The `npm test` reporter: one line per test file, every failure in full as soon as it happens (the assertion,
// its diff, the stack, and what the file wrote to stdout/stderr and its diagnostics), and a summary at the end
// that lists the skipped and failed tests again. Node's TAP and spec reporters print every test (~2,000 lines),
// which buries the one that failed.
//
// Events are node:test's reporter stream (Node 20). With `--test`, each file runs in its own process and its
// tests are reported file after file, in order (a file that ran while another was being reported is buffered);
// a file's own `test:complete` (named after the file, with its duration, and its error when the file crashed)
// arrives when its process ends, which may be before its tests are reported. So a file's line is printed when
// the report moves on to the next file, or at the end.
import path from 'node:path';
import { inspect } from 'node:util';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const red = (t) => paint(31, t);
const green = (t) => paint(32, t);
const dim = (t) => paint(2, t);

const root = process.cwd();
const show = (file) => (file ? path.relative(root, file) : '(no file)');

function duration(ms) {
  if (typeof ms !== 'number') return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function indent(text, by = '    ') {
  return text.replace(/\n+$/, '').split('\n').map((l) => `${by}${l}`).join('\n');
}

/** The error a failed test carries: node wraps the test's own error (`cause`) in ERR_TEST_FAILURE. */
function describeError(error) {
  if (error === undefined || error === null) return '(no error recorded)';
  const own = error.code === 'ERR_TEST_FAILURE' && error.cause !== undefined ? error.cause : error;
  return inspect(own, { depth: 6, breakLength: 110 });
}

class FileState {
  constructor(file) {
    this.file = file;
    this.names = [];
    this.counts = { pass: 0, fail: 0, skip: 0, todo: 0, cancelled: 0 };
    this.output = [];
    this.crash = undefined;
    this.printed = false;
  }
}

export default async function* reporter(source) {
  const files = new Map();
  const failed = [];
  const skipped = [];
  const totals = new Map();
  const durations = new Map();
  let current;
  const state = (file) => {
    let s = files.get(file);
    if (!s) files.set(file, (s = new FileState(file)));
    return s;
  };
  const fileLine = (s) => {
    s.printed = true;
    const tests = s.counts.pass + s.counts.fail + s.counts.skip + s.counts.todo + s.counts.cancelled;
    const bad = s.counts.fail + s.counts.cancelled;
    let line;
    if (s.crash !== undefined) {
      failed.push(`${show(s.file)} (the file itself)`);
      line = `${red('✖')} ${show(s.file)}  ${red('the test file failed')}`;
    } else if (bad > 0) {
      line = `${red('✖')} ${show(s.file)}  ${red(`${bad} of ${tests} failed`)}`;
    } else {
      line = `${green('✔')} ${show(s.file)}  ${tests} test${tests === 1 ? '' : 's'}`;
    }
    let out = `${line}  ${dim(duration(durations.get(s.file)))}\n`;
    if (s.crash !== undefined) out += `${indent(describeError(s.crash))}\n`;
    if ((s.crash !== undefined || bad > 0) && s.output.length > 0) {
      out += `  what ${show(s.file)} wrote:\n${indent(s.output.join(''))}\n\n`;
    }
    return out;
  };
  /** The report reached `file`: the previous file is complete. */
  const reach = (file) => {
    if (file === current) return '';
    const previous = current === undefined ? undefined : files.get(current);
    current = file;
    return previous && !previous.printed ? fileLine(previous) : '';
  };

  for await (const { type, data } of source) {
    const file = data?.file;
    if (type === 'test:stdout' || type === 'test:stderr') {
      state(file).output.push(`${type === 'test:stdout' ? 'stdout' : 'stderr'}: ${data.message}`);
      continue;
    }
    if (type === 'test:diagnostic') {
      // Node's own totals come last, without a file; a test's `t.diagnostic()` is kept with its file.
      if (file === undefined) {
        const m = /^(\w+) ([\d.]+)$/.exec(data.message);
        if (m) totals.set(m[1], Number(m[2]));
      } else {
        state(file).output.push(`diagnostic: ${data.message}\n`);
      }
      continue;
    }
    if (file === undefined) continue;
    if (type === 'test:complete' && data.name === file) {
      durations.set(file, data.details?.duration_ms);
      state(file);
      continue;
    }
    if (type === 'test:fail' && data.name === file) {
      // The file itself failed (it crashed, or exited non-zero) apart from any test in it.
      yield reach(file);
      if (data.details?.error?.failureType !== 'subtestsFailed') state(file).crash = data.details?.error ?? 'failed';
      continue;
    }
    if (data.name === file) continue;
    if (type === 'test:start') {
      yield reach(file);
      const s = state(file);
      s.names.length = data.nesting;
      s.names[data.nesting] = data.name;
      continue;
    }
    if (type === 'test:pass' || type === 'test:fail') {
      yield reach(file);
      const s = state(file);
      s.names.length = data.nesting;
      const title = [...s.names, data.name].join(' › ');
      const error = data.details?.error;
      const kind = error?.failureType;
      if (type === 'test:pass') {
        if (data.skip !== undefined) {
          s.counts.skip++;
          skipped.push(`${show(file)} › ${title}${typeof data.skip === 'string' ? `: ${data.skip}` : ''}`);
        } else if (data.todo !== undefined) {
          s.counts.todo++;
        } else if (data.details?.type !== 'suite') {
          s.counts.pass++;
        }
        continue;
      }
      // A suite fails because a test in it failed, which was reported already.
      if (kind === 'subtestsFailed') continue;
      if (kind === 'cancelledByParent') {
        s.counts.cancelled++;
        continue;
      }
      s.counts.fail++;
      failed.push(`${show(file)} › ${title}`);
      const where = data.line ? ` ${dim(`(${show(file)}:${data.line}:${data.column})`)}` : '';
      yield `\n  ${red('✖')} ${title}${where}\n${indent(describeError(error))}\n\n`;
    }
  }
  for (const s of files.values()) if (!s.printed) yield fileLine(s);

  const n = (key) => totals.get(key) ?? 0;
  yield `\n${'─'.repeat(20)} summary ${'─'.repeat(20)}\n`;
  if (skipped.length > 0) yield `skipped (${skipped.length}):\n${skipped.map((s) => `  - ${s}`).join('\n')}\n`;
  if (failed.length > 0) yield `${red(`failed (${failed.length}):`)}\n${failed.map((f) => `  ${red('✖')} ${f}`).join('\n')}\n`;
  const parts = [`${n('pass')} passed`, `${n('fail')} failed`, `${n('skipped')} skipped`, `${n('todo')} todo`, `${n('cancelled')} cancelled`];
  const verdict = n('fail') + n('cancelled') > 0 || failed.length > 0 ? red('FAIL') : green('PASS');
  yield `${verdict}  ${n('tests')} tests: ${parts.join(', ')}  ${dim(`(${duration(n('duration_ms'))})`)}\n`;
}
