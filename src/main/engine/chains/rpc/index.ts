export { createRpcPool, type RpcPool, type RpcPoolOptions, type RpcRequestOptions } from './rpc-pool.ts';
export { testRpcUrl, type RpcUrlReport } from './test-rpc-url.ts';
export type { EndpointHealth, CircuitState } from './endpoint-state.ts';
export type { LogFilter } from './log-chunks.ts';
export type { PushedHeader } from './pushed-headers.ts';
export { RpcCallError, type RpcFailureKind } from './rpc-call-error.ts';
export { parseLogRangeError, type LogRangeRefusal } from './log-range-errors.ts';
export { redactUrl } from './redact-url.ts';
