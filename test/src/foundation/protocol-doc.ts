/**
 * The generated parts of docs/protocol.md: example frames built with the real encoder, and the tables of
 * methods and objects built from the RPC table. `node scripts/protocol-frames.mjs` prints them as the doc shows
 * them; protocol-doc.test.ts checks that the doc still matches.
 */
import {
  AccessGroupSchema, allMethods, AnonUidGid, BatterySchema, BatteryStatus, BatteryType, BlockRangeSchema,
  CapabilitiesSchema, capabilitiesOf, Capability, DiskLinkType, DiskRpm, DiskSchema, DiskStatus, DiskType,
  ErrorNumber, FileSystemSchema, FsSnapshotSchema, InitiatorType, JobStatus, NfsExportSchema, type OptionalSchema,
  PoolElementType, PoolSchema, PoolStatus, PoolUnsupported, Provisioning, ReadCachePct, type RecordSchema,
  ReplicationType, type Schema, SystemMode, SystemSchema, SystemStatus, TargetPortSchema, TargetPortType,
  VolumeAdminState, VolumeSchema,
} from '@openlsm/core';
import { encodeBody, encodeFrame } from '@openlsm/ipc';

const EIB2 = 2n ** 61n;

const pool = {
  id: 'POOL_ID_00004', name: 'Pool 4', element_type: 4, unsupported_actions: 0, total_space: EIB2, free_space: EIB2,
  status: 2, status_info: '', system_id: 'sim-01', plugin_data: null,
};

const volume = {
  id: 'VOL_ID_00001', name: 'vol1', vpd83: '600a0b80006e0d26000008b752f3fbf6', block_size: 512n, num_of_blocks: 2097152n,
  admin_state: 1, system_id: 'sim-01', pool_id: 'POOL_ID_00004', plugin_data: null,
};

/** Name (as used in the doc's markers) -> the message. */
export const protocolExamples: Record<string, unknown> = {
  'plugin-info-request': { id: 1, method: 'plugin_info', params: { flags: 0 } },
  'plugin-info-response': { id: 1, result: ['Storage simulator', '0.1.0'] },
  'plugin-register-request': { id: 2, method: 'plugin_register', params: { uri: 'sim://', password: null, timeout: 30000, flags: 0 } },
  'null-response': { id: 2, result: null },
  'volume-create-request': { id: 3, method: 'volume_create', params: { pool, volume_name: 'vol1', size_bytes: 1073741824n, provisioning: 3, flags: 0 } },
  'job-started-response': { id: 3, result: ['JOB_ID_00001', null] },
  'job-progress-notification': { method: 'job_progress', params: { job_id: 'JOB_ID_00001', status: 1, percent: 40 } },
  'job-status-complete-response': { id: 5, result: [2, 100, volume] },
  'error-response': { id: 6, error: { code: 205, message: 'Volume not found', data: null } },
  'cancel-notification': { method: '$/cancel', params: { id: 7 } },
  'capabilities-response': { id: 8, result: capabilitiesOf(['VOLUMES', 'VOLUME_CREATE']) },
  'fatal-error-goodbye': { id: null, error: { code: 401, message: 'Frame of 4294967295 bytes announced by the peer exceeds the limit of 67108864 bytes', data: null } },
};

/** The complete frame (length header included) of an example. */
export function exampleFrame(name: string): Buffer {
  if (!(name in protocolExamples)) throw new Error(`no protocol example named ${name}`);
  return encodeFrame(encodeBody(protocolExamples[name]));
}

/** `hexdump -C` style: offset, 16 bytes in two groups of 8, printable ASCII. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = [...bytes.subarray(offset, offset + 16)];
    const hex = row.map((b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = row.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`);
  }
  return lines.join('\n');
}

/** The doc's block for an example: a marker comment, then the dump in a text fence. */
export function docBlock(name: string): string {
  return `<!-- frame: ${name} -->\n\`\`\`text\n${hexDump(exampleFrame(name))}\n\`\`\``;
}

/**
 * A schema's wire type in the doc's notation (`str`, `int`, `int64`, `bool`, `bin(512)`, `nil`, `[T]` for an
 * array, `[A, B]` for a fixed-length array, `T | nil`, a class name for a map), read from its description.
 */
export function wireType(schema: Schema<unknown>): string {
  return typeOfText(schema.expected.replace('a Volume, FileSystem or FsSnapshot object', 'a Volume | FileSystem | FsSnapshot object'));
}

function typeOfText(text: string): string {
  const simple: Record<string, string> = {
    'a string': 'str', 'an integer': 'int', 'an integer (64-bit)': 'int64', 'a boolean': 'bool', null: 'nil',
    '512 bytes of binary data': 'bin(512)', 'a list of strings': '[str]', 'a list of integers': '[int]',
  };
  if (simple[text]) return simple[text] as string;
  const tupleMatch = /^a list of \d+ items \((.*)\)$/.exec(text);
  if (tupleMatch) return `[${splitTopLevel(tupleMatch[1] as string).map(typeOfText).join(', ')}]`;
  const orNull = /^(.*) or null$/.exec(text);
  if (orNull) return `${typeOfText(orNull[1] as string)} | nil`;
  const listOf = /^a list of (\w+) objects$/.exec(text);
  if (listOf) return `[${listOf[1]}]`;
  const object = /^an? ([\w |]+) object$/.exec(text);
  if (object) return object[1] as string;
  throw new Error(`no wire type for a schema expecting "${text}": extend wireType()`);
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

function fallbackText(value: unknown): string {
  if (value === null) return 'nil';
  if (Array.isArray(value)) return '[]';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The methods table: every RPC, its params (flags omitted: every method takes it), its result and job kind. */
export function methodsTable(): string {
  const rows = ['| method | params | result | job |', '|---|---|---|---|'];
  for (const m of allMethods) {
    const params = m.params.fieldNames.filter((n) => n !== 'flags').map((n) => {
      const field = m.params.fields[n] as Schema<unknown> & Partial<OptionalSchema<unknown>>;
      return field.optional ? `${n}?: ${wireType(field)} = ${fallbackText(field.fallback)}` : `${n}: ${wireType(field)}`;
    });
    const job = 'job' in m && m.job ? m.job : '';
    const search = 'searchKeys' in m && m.searchKeys ? ` (search keys: ${m.searchKeys.join(', ')})` : '';
    rows.push(`| \`${m.method}\`${search} | ${params.join(', ').replaceAll('|', '\\|') || '-'} | ${wireType(m.result).replaceAll('|', '\\|')} | ${job} |`);
  }
  return rows.join('\n');
}

const objectSchemas = [
  SystemSchema, PoolSchema, VolumeSchema, DiskSchema, AccessGroupSchema, TargetPortSchema, FileSystemSchema,
  FsSnapshotSchema, NfsExportSchema, BatterySchema, BlockRangeSchema, CapabilitiesSchema,
] as RecordSchema<unknown>[];

/** The objects table: every class, its members in order with their wire types. */
export function objectsTable(): string {
  const rows = ['| class | members, in order |', '|---|---|'];
  for (const schema of objectSchemas) {
    const members = schema.fieldNames.map((n) => `${n}: ${wireType(schema.fields[n] as Schema<unknown>)}`);
    rows.push(`| ${schema.className} | ${members.join(', ').replaceAll('|', '\\|')} |`);
  }
  return rows.join('\n');
}

/** The capabilities table: every capability number, its name, and the methods whose descriptors it announces. */
export function capabilitiesTable(): string {
  const rows = ['| number | capability | announces |', '|---|---|---|'];
  for (const [name, n] of Object.entries(Capability)) {
    const methods = allMethods.filter((m) => m.capabilities.includes(n)).map((m) => `\`${m.method}\``);
    rows.push(`| ${n} | \`${name}\` | ${methods.join(', ')} |`);
  }
  return rows.join('\n');
}

/** The errors table: every lsm error number and its name. */
export function errorsTable(): string {
  const rows = ['| code | name |', '|---|---|'];
  for (const [name, code] of Object.entries(ErrorNumber)) rows.push(`| ${code} | \`${name}\` |`);
  return rows.join('\n');
}

/** The members whose values are lsm constants, with the constants (a bitmap member combines them with OR). */
const constantMembers: [string, Record<string, number>][] = [
  ['`System.status` (bitmap)', SystemStatus], ['`System.mode`', SystemMode], ['`System.read_cache_pct` (else 0..100)', ReadCachePct],
  ['`Pool.element_type` (bitmap)', PoolElementType], ['`Pool.unsupported_actions` (bitmap)', PoolUnsupported],
  ['`Pool.status` (bitmap)', PoolStatus], ['`Volume.admin_state`', VolumeAdminState],
  ['`volume_create` `provisioning`', Provisioning], ['`volume_replicate` `rep_type`', ReplicationType],
  ['`AccessGroup.init_type`, `init_type` params', InitiatorType], ['`TargetPort.port_type`', TargetPortType],
  ['`Disk.disk_type`', DiskType], ['`Disk.status` (bitmap)', DiskStatus], ['`Disk.rpm` (else the rpm)', DiskRpm],
  ['`Disk.link_type`', DiskLinkType], ['`Battery.type`', BatteryType], ['`Battery.status` (bitmap)', BatteryStatus],
  ['`NfsExport.anonuid`, `anongid` (else the id)', AnonUidGid], ['`job_status` status', JobStatus],
];

export function constantsTable(): string {
  const rows = ['| member | values |', '|---|---|'];
  for (const [member, values] of constantMembers) {
    rows.push(`| ${member} | ${Object.entries(values).map(([name, v]) => `${name} ${v}`).join(', ')} |`);
  }
  return rows.join('\n');
}

const tables = {
  methods: methodsTable, objects: objectsTable, capabilities: capabilitiesTable, errors: errorsTable, constants: constantsTable,
} as const;
export type DocTableName = keyof typeof tables;
export const docTableNames = Object.keys(tables) as DocTableName[];

/** A generated table as the doc holds it, between markers. */
export function docTable(name: DocTableName): string {
  return `<!-- table: ${name} -->\n${tables[name]()}\n<!-- /table: ${name} -->`;
}
