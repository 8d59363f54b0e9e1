// The subset of better-sqlite3 12.x that the simulator uses. The package ships no types and @types/better-sqlite3
// is not a dependency of the workspace; these declarations follow the library's documented API (docs/api.md).
declare module 'better-sqlite3' {
  export interface RunResult {
    changes: number;
    lastInsertRowid: number | bigint;
  }

  export interface Statement {
    run(...params: unknown[]): RunResult;
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
    /** Rows as arrays instead of objects. */
    raw(toggle?: boolean): this;
    /** Only the first column of each row. */
    pluck(toggle?: boolean): this;
    /** Integers as bigint (64-bit exact). */
    safeIntegers(toggle?: boolean): this;
    readonly reader: boolean;
  }

  export interface Transaction<F extends (...args: never[]) => unknown> {
    (...args: Parameters<F>): ReturnType<F>;
    deferred(...args: Parameters<F>): ReturnType<F>;
    immediate(...args: Parameters<F>): ReturnType<F>;
    exclusive(...args: Parameters<F>): ReturnType<F>;
  }

  export interface Options {
    readonly?: boolean;
    fileMustExist?: boolean;
    /** Busy timeout in ms. */
    timeout?: number;
  }

  export interface Database {
    prepare(sql: string): Statement;
    exec(sql: string): this;
    pragma(source: string, options?: { simple?: boolean }): unknown;
    transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F>;
    defaultSafeIntegers(toggle?: boolean): this;
    close(): this;
    readonly open: boolean;
    readonly inTransaction: boolean;
    readonly name: string;
  }

  export interface SqliteError extends Error {
    readonly code: string;
  }

  interface DatabaseConstructor {
    new (filename: string, options?: Options): Database;
    readonly SqliteError: new (message: string, code: string) => SqliteError;
  }

  const Database: DatabaseConstructor;
  export default Database;
}
