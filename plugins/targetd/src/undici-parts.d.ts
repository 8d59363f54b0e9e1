// The two parts of undici this plugin uses, loaded without the rest (fetch, WebSocket, caches, mocks): undici's
// index costs a plugin process about 200 ms of start-up on a busy 2-CPU machine, these two files about 70 ms.
// Each module's export is what undici's index publishes under that name (pinned: undici ~7.30): the Pool
// class, and the `request` method its index mixes into every dispatcher.
declare module 'undici/lib/dispatcher/pool.js' {
  import { Pool } from 'undici';
  export default Pool;
}

declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';
  export default function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
}
