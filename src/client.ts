/**
 * The `cronplane/client` entry: talking to a running daemon over its HTTP API. Re-exported by the
 * main entry too.
 *
 * MERGE POINT (issue 12): this entry re-exports the HTTP implementation of `Control` from
 * src/control/ (the control layer being built beside this change) — the `HttpControl` class,
 * the `Control` interface, its error type and the view types it returns. Until then it exports
 * nothing.
 */
export {};
