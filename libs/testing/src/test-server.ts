/** Where a test server came from; see `startTestNats` for the order they are tried in. */
export type TestServerSource = 'binary' | 'env' | 'container';

/** A NATS or Redis server a test suite can use. */
export interface TestServer {
  /** Where clients connect, e.g. `nats://127.0.0.1:40211` or `redis://127.0.0.1:40212`. */
  url: string;
  source: TestServerSource;
  /**
   * Stops a server the harness started and deletes its data; for a server from the
   * environment (`source: 'env'`) it does nothing. Safe to call more than once.
   */
  stop(): Promise<void>;
  /**
   * Only for `source: 'binary'`: kills the server at once (SIGKILL), as a crash would,
   * keeping its data folder so that `restart()` can bring it back.
   */
  kill?(): Promise<void>;
  /**
   * Only for `source: 'binary'`: starts the server again on the same port and data folder
   * (stopping it first if it runs), so tests can check what survives a server restart.
   */
  restart?(): Promise<void>;
}
