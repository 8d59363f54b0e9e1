/**
 * The shape of the command table. One declarative table (commands-*.ts) drives the commander program, `--help`,
 * docs/cli.md and the bash completion, so the four cannot drift apart.
 */

/** How an option's text is turned into a value before a handler sees it (see values.ts). */
export type ValueKind = 'string' | 'size' | 'int' | 'timeout' | 'block' | 'initiator' | 'iqn' | 'choice';

export interface OptionSpec {
  /** Long name without dashes, e.g. `src-vol` (commander's property is `srcVol`). */
  readonly long: string;
  /** One letter, for the few global options that have one. */
  readonly short?: string;
  /** Placeholder of the value, e.g. `<VOL_ID>`; absent for a flag. */
  readonly value?: string;
  readonly description: string;
  readonly required?: boolean;
  /** May be given several times; the handler receives an array. */
  readonly repeatable?: boolean;
  /** Accepted values (compared after upper-casing, as lsmcli does). */
  readonly choices?: readonly string[];
  readonly kind?: ValueKind;
  /** For completion: complete file names (`--path /dev/sdX`). */
  readonly completeFiles?: boolean;
  /** Accepted but left out of --help (lsmcli's own hidden options). */
  readonly hidden?: boolean;
}

/** Which module implements a command; loaded only when that command runs. */
export type Family = 'list' | 'system' | 'volume' | 'volume-extra' | 'access-group' | 'fs' | 'local';

export interface Example {
  readonly command: string;
  readonly comment: string;
}

export interface CommandSpec {
  readonly name: string;
  /** lsmcli's short alias (`vc` for `volume-create`). */
  readonly alias?: string;
  readonly family: Family;
  readonly summary: string;
  /** What the command prints, in text and with `-o json` (documentation). */
  readonly output: string;
  readonly options: readonly OptionSpec[];
  readonly examples: readonly Example[];
  /** `plugin`: needs a URI and a connection; `local`: works on this machine only (local-disk-*). */
  readonly connection: 'plugin' | 'local';
  /** Asks for confirmation (skipped with -f). */
  readonly confirm?: 'will' | 'may';
}

/** Aliases that expand to several tokens: `lv` is `list --type volumes`. */
export interface ListAlias {
  readonly alias: string;
  readonly type: string;
}
