import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorNumber, LsmError } from './errors.js';
import { assertInvalid } from './test-helpers.js';
import { type LsmUri, formatUriForLog, hostForUrl, maskUriPasswords, parseUri, uriRequire } from './uri.js';


function expected(raw: string, fields: Partial<LsmUri>): LsmUri {
  return {
    scheme: 'sim',
    plugin: 'sim',
    ssl: false,
    username: null,
    host: null,
    port: null,
    path: '',
    parameters: {},
    raw,
    ...fields,
  };
}

test('parseUri: valid URIs', () => {
  const cases: [string, Partial<LsmUri>][] = [
    ['sim://', {}],
    ['sim://?statefile=/tmp/x.db', { parameters: { statefile: '/tmp/x.db' } }],
    ['SIM://', { scheme: 'sim', plugin: 'sim' }],
    ['simc://?statefile=/var/lib/lsm/simc.db', { scheme: 'simc', plugin: 'simc', parameters: { statefile: '/var/lib/lsm/simc.db' } }],
    ['sim://?', {}],
    ['sim://?&statefile=/a&', { parameters: { statefile: '/a' } }],
    ['sim:///', { path: '/' }],
    ['sim:///some/path?x=1', { path: '/some/path', parameters: { x: '1' } }],
    ['targetd://admin@host', { scheme: 'targetd', plugin: 'targetd', username: 'admin', host: 'host' }],
    ['targetd://admin@host:18700', { scheme: 'targetd', plugin: 'targetd', username: 'admin', host: 'host', port: 18700 }],
    [
      'targetd+ssl://admin@host:18700?ca_cert_file=/p/ca.pem',
      {
        scheme: 'targetd+ssl',
        plugin: 'targetd',
        ssl: true,
        username: 'admin',
        host: 'host',
        port: 18700,
        parameters: { ca_cert_file: '/p/ca.pem' },
      },
    ],
    [
      'TargetD+SSL://Admin@MyHost.Example.COM:1',
      { scheme: 'targetd+ssl', plugin: 'targetd', ssl: true, username: 'Admin', host: 'myhost.example.com', port: 1 },
    ],
    ['targetd://u@[::1]:18700', { scheme: 'targetd', plugin: 'targetd', username: 'u', host: '::1', port: 18700 }],
    ['targetd://u@[FE80::A:B]', { scheme: 'targetd', plugin: 'targetd', username: 'u', host: 'fe80::a:b' }],
    ['targetd://[2001:db8:0:0:0:0:2:1]:443', { scheme: 'targetd', plugin: 'targetd', host: '2001:db8:0:0:0:0:2:1', port: 443 }],
    ['targetd://[::ffff:192.0.2.1]', { scheme: 'targetd', plugin: 'targetd', host: '::ffff:192.0.2.1' }],
    ['targetd://u@192.168.1.10:65535', { scheme: 'targetd', plugin: 'targetd', username: 'u', host: '192.168.1.10', port: 65535 }],
    [
      'smispy+ssl://user@host:5989?namespace=root/emc&system=SYS-1&no_ssl_verify=yes',
      {
        scheme: 'smispy+ssl',
        plugin: 'smispy',
        ssl: true,
        username: 'user',
        host: 'host',
        port: 5989,
        parameters: { namespace: 'root/emc', system: 'SYS-1', no_ssl_verify: 'yes' },
      },
    ],
    [
      'local://?only=megaraid&ignore_init_error=true&megaraid_storcli=/opt/MegaRAID/storcli/storcli64',
      {
        scheme: 'local',
        plugin: 'local',
        parameters: { only: 'megaraid', ignore_init_error: 'true', megaraid_storcli: '/opt/MegaRAID/storcli/storcli64' },
      },
    ],
    // percent-decoding of username and values; '+' stays '+'; an empty value is allowed
    ['targetd://dom%5Cuser%40corp@h', { scheme: 'targetd', plugin: 'targetd', username: 'dom\\user@corp', host: 'h' }],
    ['sim://?statefile=/tmp/my%20state.db&x=a+b&e=&eq=a%3Db', { parameters: { statefile: '/tmp/my state.db', x: 'a+b', e: '', eq: 'a=b' } }],
    ['sim://?k=%C3%A9', { parameters: { k: 'é' } }],
    // a password in the URI is tolerated (as by Python) and ignored
    ['targetd://admin:secret@host:18700', { scheme: 'targetd', plugin: 'targetd', username: 'admin', host: 'host', port: 18700 }],
    ['my_plugin-2://h.', { scheme: 'my_plugin-2', plugin: 'my_plugin-2', host: 'h.' }],
    // a "__proto__" key is an ordinary own property
    ['sim://?__proto__=x', { parameters: Object.fromEntries([['__proto__', 'x']]) }],
  ];
  for (const [raw, fields] of cases) {
    assert.deepEqual(parseUri(raw), expected(raw, fields), raw);
  }
  assert.equal(Object.getPrototypeOf(parseUri('sim://?__proto__=x').parameters), Object.prototype);
});

test('parseUri: missing or malformed scheme', () => {
  const bad = [
    '',
    'sim',
    'sim:',
    'sim:/',
    'sim:/x',
    '://host',
    '//host',
    '1sim://',
    '+ssl://',
    'sim+tls://',
    'sim+ssl+ssl://',
    'si m://',
    'sim;rm://',
    '../sim://',
    '/tmp/sim://',
    'é://',
    'host:18700',
  ];
  for (const raw of bad) {
    assertInvalid(() => parseUri(raw), /^uri missing "scheme" or is in invalid form: "/);
  }
});

test('parseUri: other invalid URIs', () => {
  const cases: [string, RegExp][] = [
    ['sim://?a=b=c', /contains "=" \(percent-encode it as %3D\)/],
    ['sim://?statefile=/a&statefile=/b', /duplicate query parameter "statefile"/],
    ['sim://?=x', /empty query parameter name/],
    ['sim://?flag', /query parameter "flag" has no value/],
    ['sim://?a%20b=1', /invalid query parameter name "a b"/],
    ['sim://?a;b=1', /invalid query parameter name "a;b"/],
    ['sim://?a=%ZZ', /bad percent-encoding/],
    ['sim://?a=%E0%A4', /bad percent-encoding/],
    ['sim://?a=x%0Ay', /decodes to a control character/],
    ['sim://?a=x%00', /decodes to a control character/],
    ['targetd://u%0A@h', /decodes to a control character/],
    ['targetd://@host', /empty username/],
    ['targetd://:pw@host', /empty username/],
    ['targetd://host:0', /invalid port "0"/],
    ['targetd://host:65536', /invalid port "65536"/],
    ['targetd://host:99999999999', /invalid port/],
    ['targetd://host:', /invalid port ""/],
    ['targetd://host:18700x', /invalid port/],
    ['targetd://host:-1', /invalid port/],
    ['targetd://host:1.5', /invalid port/],
    ['targetd://host:1:2', /invalid port "1:2"/],
    ['targetd://::1:18700', /invalid port/],
    ['targetd://:18700', /a port is given without a host/],
    ['targetd://u@', /a username is given without a host/],
    ['targetd://[::1', /unterminated "\["/],
    ['targetd://[::1]x', /unexpected "x" after "\]"/],
    ['targetd://[1::2::3]', /invalid IPv6 host/],
    ['targetd://[fe80::1%25eth0]', /invalid IPv6 host/],
    ['targetd://[host]', /invalid IPv6 host/],
    ['targetd://[]', /invalid IPv6 host/],
    ['targetd://[::ffff:1.2.3.256]', /invalid IPv6 host/],
    ['targetd://[1:2:3:4:5:6:7:8:9]', /invalid IPv6 host/],
    ['targetd://ho st', /invalid host "ho st"/],
    ['targetd://host;reboot', /invalid host "host;reboot"/],
    ['targetd://-oProxyCommand=x', /invalid host/],
    ['targetd://..', /invalid host/],
    ['targetd://a..b', /invalid host/],
    ['targetd://.host', /invalid host/],
    ['targetd://h%41st', /invalid host/],
    ['targetd://hôst', /invalid host/],
    [`targetd://${'a'.repeat(256)}`, /invalid host/],
    ['sim://#frag', /"#" fragment is not allowed/],
    ['sim://?statefile=/tmp/a#b', /"#" fragment is not allowed/],
    ['sim://\n', /control character or line break/],
    ['sim://?statefile=/tmp/x\n.db', /control character or line break/],
    ['sim://?statefile=/tmp/x\r', /control character or line break/],
    ['sim://\u0000', /control character/],
    ['sim://?a=\u007f', /control character/],
    ['sim://?a=\u0085', /control character/],
    ['sim://?a=\u2028', /control character/],
    ['\nsim://', /control character/],
  ];
  for (const [raw, re] of cases) {
    const err = assertInvalid(() => parseUri(raw), re);
    assert.match(err.message, /^uri invalid: /, raw);
  }
});

test('parseUri: error messages never show a password', () => {
  for (const raw of ['targetd://admin:hunter2@host:0', 'targetd://admin:hunter2@host?a=b=c', 'targetd://admin:hunter2@ho st']) {
    const err = assertInvalid(() => parseUri(raw));
    assert.ok(!err.message.includes('hunter2'), err.message);
    assert.ok(err.message.includes('targetd://admin@'), err.message);
  }
});

test('parseUri: a 10 MB URI is rejected quickly with a short message', () => {
  const t0 = performance.now();
  const mb10 = 10 * 1024 * 1024;
  const hostile = [
    'a'.repeat(mb10),
    `sim://?statefile=${'a'.repeat(mb10)}`,
    `${'a'.repeat(60000)}://`,
    `targetd://${'a.'.repeat(30000)}!`,
    `sim://?${'a=1&'.repeat(16000)}a=1`,
    `targetd://[${':'.repeat(60000)}]`,
  ];
  for (const raw of hostile) {
    assertInvalid(() => parseUri(raw));
  }
  assert.ok(performance.now() - t0 < 2000);
  // 64 KiB is the limit
  assertInvalid(() => parseUri(`sim://?statefile=${'a'.repeat(65536)}`), /longer than 65536 characters/);
  assert.equal(parseUri(`sim://?statefile=/${'a'.repeat(60000)}`).parameters['statefile']?.length, 60001);
});

test('uriRequire', () => {
  const full = parseUri('targetd://admin@host:18700?ca_cert_file=/p/ca.pem');
  uriRequire(full, { host: true, username: true, port: true, params: ['ca_cert_file'] });
  uriRequire(parseUri('sim://'), {});
  const sim = parseUri('sim://');
  assertInvalid(() => uriRequire(sim, { host: true }), /^uri missing "host"$/);
  assertInvalid(() => uriRequire(sim, { username: true }), /^uri missing "username"$/);
  assertInvalid(() => uriRequire(sim, { port: true }), /^uri missing "port"$/);
  assertInvalid(() => uriRequire(sim, { params: ['statefile'] }), /^uri missing query parameter statefile$/);
  // inherited Object.prototype members are not parameters
  assertInvalid(() => uriRequire(sim, { params: ['constructor'] }), /^uri missing query parameter constructor$/);
  assertInvalid(() => uriRequire(parseUri('targetd://host'), { host: true, username: true }), /^uri missing "username"$/);
});

test('formatUriForLog', () => {
  const cases: [string, string][] = [
    ['sim://', 'sim://'],
    ['targetd+ssl://admin@host:18700?ca_cert_file=/p/ca.pem', 'targetd+ssl://admin@host:18700?ca_cert_file=/p/ca.pem'],
    ['targetd://admin:secret@host:18700', 'targetd://admin@host:18700'],
    ['targetd://admin:sec:ret@[::1]:18700/x?y=z', 'targetd://admin@[::1]:18700/x?y=z'],
    ['targetd://admin:p@ss@host', 'targetd://admin@host'],
    ['targetd://u@[::1]:18700', 'targetd://u@[::1]:18700'],
    ['sim://?statefile=user:pass@host', 'sim://?statefile=user:pass@host'], // not userinfo
    ['no scheme at all', 'no scheme at all'],
    ['sim://\nINJECTED', 'sim://\\u000aINJECTED'],
  ];
  for (const [raw, out] of cases) assert.equal(formatUriForLog(raw), out, raw);
  assert.equal(formatUriForLog(parseUri('targetd://admin:secret@host')), 'targetd://admin@host');
});

test('maskUriPasswords: any URI-like text, malformed ones included, anywhere in a message', () => {
  const cases: [string, string][] = [
    ['sim:/admin:SeCrEt123@host', 'sim:/admin@host'],
    ['sim:admin:SeCrEt123@host', 'sim:admin@host'],
    ['sim:///admin:SeCrEt123@host', 'sim:///admin@host'],
    ['targetd+ssl:\\\\admin:SeCrEt123@host:18700', 'targetd+ssl:\\\\admin@host:18700'],
    ['uri missing "scheme" or is in invalid form: "sim:/admin:SeCrEt123@host" (expected ...)', 'uri missing "scheme" or is in invalid form: "sim:/admin@host" (expected ...)'],
    ['two: a://u:p1@h and b://v:p2@k', 'two: a://u@h and b://v@k'],
    ['targetd://:SeCrEt123@host', 'targetd://@host'],
    ['targetd://admin:p@ss:w@rd@host/x', 'targetd://admin@host/x'],
    ['sim://?statefile=user:pass@host', 'sim://?statefile=user:pass@host'],
    ['no password: sim://admin@host', 'no password: sim://admin@host'],
    ['plain text', 'plain text'],
  ];
  for (const [raw, out] of cases) assert.equal(maskUriPasswords(raw), out, raw);
  assert.doesNotMatch(maskUriPasswords(`x ${'sim:/a:SeCrEt@'.repeat(1000)}h`), /SeCrEt/);
  // Linear: a 10 MB hostile string is scanned once (a backtracking pattern took minutes on this one).
  const hostile = `${'x'.repeat(5_000_000)}:${'y'.repeat(5_000_000)}@`;
  assert.equal(maskUriPasswords(hostile).length, hostile.length);
});

test('parse errors never quote the password, even of a URI without "://"', () => {
  for (const uri of ['sim:/admin:SeCrEt123@host', 'sim:admin:SeCrEt123@host', 'targetd://admin:SeCrEt123@ho st']) {
    assert.throws(() => parseUri(uri), (err: unknown) => err instanceof LsmError && !err.message.includes('SeCrEt123'), uri);
  }
});

test('hostForUrl', () => {
  assert.equal(hostForUrl('host'), 'host');
  assert.equal(hostForUrl(parseUri('targetd://u@[::1]:18700').host ?? ''), '[::1]');
});

test('property: parseUri throws nothing but LsmError INVALID_ARGUMENT', () => {
  const uriish = fc
    .tuple(
      fc.constantFrom('sim', 'targetd+ssl', 'SMISPY', 'x', '', '1a'),
      fc.constantFrom('://', ':/', '//', '://'),
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
    )
    .map(([s, sep, a, b]) => `${s}${sep}${a}${b}`);
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), uriish), (raw) => {
      let u: LsmUri;
      try {
        u = parseUri(raw);
      } catch (err) {
        assert.ok(err instanceof LsmError, String(err));
        assert.equal(err.code, ErrorNumber.INVALID_ARGUMENT);
        assert.ok(!/[\n\r]/.test(err.message));
        return;
      }
      assert.equal(u.raw, raw);
      assert.match(u.scheme, /^[a-z][a-z0-9_-]*(\+ssl)?$/);
      assert.ok(u.port === null || (Number.isInteger(u.port) && u.port >= 1 && u.port <= 65535));
      assert.ok(u.host === null || u.host === u.host.toLowerCase());
    }),
  );
});

test('property: well-formed URIs round-trip their parts', () => {
  const label = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/);
  const value = fc.string({ maxLength: 20 });
  fc.assert(
    fc.property(
      fc.constantFrom('sim', 'targetd', 'smispy'),
      fc.boolean(),
      fc.option(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s))),
      fc.array(label, { minLength: 1, maxLength: 3 }),
      fc.option(fc.integer({ min: 1, max: 65535 })),
      fc.dictionary(fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/), value.filter((s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s)), {
        maxKeys: 4,
      }),
      (plugin, ssl, user, labels, port, params) => {
        const host = labels.join('.');
        const query = Object.entries(params)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
          .join('&');
        const raw = `${plugin}${ssl ? '+ssl' : ''}://${user === null ? '' : `${encodeURIComponent(user)}@`}${host}${
          port === null ? '' : `:${port}`
        }${query === '' ? '' : `?${query}`}`;
        const u = parseUri(raw);
        assert.equal(u.plugin, plugin);
        assert.equal(u.ssl, ssl);
        assert.equal(u.username, user);
        assert.equal(u.host, host);
        assert.equal(u.port, port);
        assert.deepEqual(u.parameters, { ...params });
        assert.equal(formatUriForLog(u), raw);
      },
    ),
  );
});
