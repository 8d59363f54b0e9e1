/**
 * The session and the protocol (docs/protocol.md sections 2, 4, 5, 6 and 8), on raw connections: what a plugin
 * in any language must answer, whatever it supports.
 */
import { ErrorNumber } from '@openlsm/client';
import { type Check, type CheckContext, ensure, expectError } from './check.js';
import type { RawSession } from './raw-session.js';

async function withRaw(ctx: CheckContext, register: boolean, fn: (s: RawSession) => Promise<void>): Promise<void> {
  const session = await ctx.raw({ register });
  try {
    await fn(session);
  } finally {
    await session.close();
  }
}

function isText(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

export const sessionChecks: Check[] = [
  {
    id: 'session.plugin_info',
    title: 'plugin_info answers [description, version] before plugin_register',
    needs: [],
    once: true,
    run: (ctx) => withRaw(ctx, false, async (s) => {
      const info = await s.request('plugin_info');
      ensure(Array.isArray(info) && info.length === 2 && isText(info[0]) && isText(info[1]),
        `plugin_info answered ${JSON.stringify(info)}, not two non-empty strings`);
    }),
  },
  {
    id: 'session.before_register',
    title: 'a call other than plugin_info before plugin_register is INVALID_ARGUMENT',
    needs: [],
    once: true,
    run: (ctx) => withRaw(ctx, false, (s) => expectError(s.request('systems'), ErrorNumber.INVALID_ARGUMENT, 'systems before plugin_register')),
  },
  {
    id: 'session.register_twice',
    title: 'a second plugin_register on a session is INVALID_ARGUMENT',
    needs: [],
    once: true,
    run: (ctx) => withRaw(ctx, true, (s) => expectError(
      s.request('plugin_register', { uri: 'x://', password: null, timeout: 30_000 }),
      ErrorNumber.INVALID_ARGUMENT, 'a second plugin_register',
    )),
  },
  {
    id: 'protocol.unknown_method',
    title: 'an unknown method is NO_SUPPORT',
    needs: [],
    once: true,
    run: (ctx) => withRaw(ctx, true, (s) => expectError(s.request('olsmct_no_such_method'), ErrorNumber.NO_SUPPORT, 'method "olsmct_no_such_method"')),
  },
  {
    id: 'protocol.flags',
    title: 'flags other than 0 are INVALID_ARGUMENT',
    needs: [],
    once: true,
    run: (ctx) => withRaw(ctx, true, async (s) => {
      await expectError(s.request('systems', { flags: 1 }), ErrorNumber.INVALID_ARGUMENT, 'systems with flags 1');
      await expectError(s.request('pools', { flags: 1 << 20 }), ErrorNumber.INVALID_ARGUMENT, 'pools with flags 2^20');
    }),
  },
  {
    id: 'protocol.search_key',
    title: 'a listing with a search key it does not have is UNSUPPORTED_SEARCH_KEY',
    needs: [],
    once: true,
    run: (ctx) => withRaw(ctx, true, (s) => expectError(
      s.request('pools', { search_key: 'olsmct_no_such_key', search_value: 'x' }),
      ErrorNumber.UNSUPPORTED_SEARCH_KEY, 'pools with search_key "olsmct_no_such_key"',
    )),
  },
  {
    id: 'protocol.pipelining',
    title: 'requests sent together are all answered, each under its own id',
    needs: [],
    once: true,
    run: (ctx) => withRaw(ctx, true, async (s) => {
      const [systems, pools, timeout] = await Promise.all([s.request('systems'), s.request('pools'), s.request('time_out_get')]);
      ensure(Array.isArray(systems) && Array.isArray(pools), 'systems and pools sent together were not both answered with lists');
      ensure(typeof timeout === 'number', `time_out_get sent with them answered ${JSON.stringify(timeout)}`);
    }),
  },
  {
    id: 'session.timeout',
    title: 'time_out_get returns what time_out_set set; 0 is INVALID_ARGUMENT',
    needs: [],
    once: true,
    run: (ctx) => withRaw(ctx, true, async (s) => {
      await s.request('time_out_set', { ms: 40_000 });
      const got = await s.request('time_out_get');
      ensure(got === 40_000, `time_out_get answered ${JSON.stringify(got)} after time_out_set 40000`);
      await expectError(s.request('time_out_set', { ms: 0 }), ErrorNumber.INVALID_ARGUMENT, 'time_out_set 0');
    }),
  },
  {
    id: 'jobs.unknown',
    title: 'job_status and job_free of an unknown job are NOT_FOUND_JOB',
    needs: [],
    once: true,
    run: (ctx) => withRaw(ctx, true, async (s) => {
      await expectError(s.request('job_status', { job_id: 'olsmct_no_such_job' }), ErrorNumber.NOT_FOUND_JOB, 'job_status of an unknown job');
      await expectError(s.request('job_free', { job_id: 'olsmct_no_such_job' }), ErrorNumber.NOT_FOUND_JOB, 'job_free of an unknown job');
    }),
  },
  {
    id: 'session.unregister',
    title: 'plugin_unregister answers nil, then the plugin closes the connection',
    needs: [],
    once: true,
    run: (ctx) => withRaw(ctx, true, async (s) => {
      const answer = await s.request('plugin_unregister');
      ensure(answer === null, `plugin_unregister answered ${JSON.stringify(answer)}`);
      let timer: NodeJS.Timeout | undefined;
      const closed = await Promise.race([
        s.connection.closed.then(() => true),
        new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), 5_000); }),
      ]);
      clearTimeout(timer);
      ensure(closed, 'the plugin kept the connection open 5 s after plugin_unregister');
    }),
  },
];
