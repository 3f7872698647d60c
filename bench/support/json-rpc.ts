// Bare JSON-RPC over fetch for the benchmark's own calls (traffic generation, baseline, probes):
// no retries, no checks beyond "there is a result", so the baseline costs only what is unavoidable.

export interface RpcCall {
  method: string;
  params: unknown[];
}

let nextId = 1;

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}

export async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const body = (await post(url, { jsonrpc: '2.0', id: nextId++, method, params })) as {
    result?: T;
    error?: { message: string };
  };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** One HTTP request carrying a JSON-RPC batch; results in call order; throws on any item error. */
export async function rpcBatch<T>(url: string, calls: RpcCall[]): Promise<T[]> {
  const first = nextId;
  nextId += calls.length;
  const answers = (await post(
    url,
    calls.map((call, i) => ({ jsonrpc: '2.0', id: first + i, method: call.method, params: call.params })),
  )) as { id: number; result?: T; error?: { message: string } }[];
  const out = new Array<T>(calls.length);
  for (const answer of answers) {
    if (answer.error) throw new Error(`${calls[answer.id - first]?.method}: ${answer.error.message}`);
    out[answer.id - first] = answer.result as T;
  }
  return out;
}

export const hex = (n: number | bigint): string => `0x${n.toString(16)}`;
