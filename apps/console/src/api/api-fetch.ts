import { authState } from './auth-state.ts';
import { currentApiKey } from './key-store.ts';
import type { ApiErrorBody } from '@turnpool/protocol';

/** An API answer that was not 2xx, with the API's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * fetch() against the dispatcher with the operator's key as `Authorization: Bearer`. A 401
 * raises the key form (authState) and throws; any other error answer throws an ApiError with
 * the API's code and message.
 */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const send = (key: string | null) => {
    const headers = new Headers(init.headers);
    if (key) headers.set('authorization', `Bearer ${key}`);
    return fetch(path, { ...init, headers, cache: 'no-store' });
  };
  const key = currentApiKey();
  let res = await send(key);
  // A key typed while this request was on its way: retry with it instead of asking again.
  if (res.status === 401 && currentApiKey() !== key) res = await send(currentApiKey());
  if (res.ok) return res;
  if (res.status === 401) authState.require();
  let body: Partial<ApiErrorBody> = {};
  try {
    body = (await res.json()) as ApiErrorBody;
  } catch {
    // Not our JSON error shape (a proxy's page): the status says enough.
  }
  throw new ApiError(res.status, body.error?.code ?? `http_${res.status}`, body.error?.message ?? `HTTP ${res.status}`);
}

export async function apiJson<T>(path: string, init?: RequestInit): Promise<T> {
  return (await (await apiFetch(path, init)).json()) as T;
}
