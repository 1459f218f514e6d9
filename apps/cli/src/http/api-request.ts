/** A dispatcher answer that was not 2xx, with the API's error body when there is one. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Calls the dispatcher; throws ApiRequestError for non-2xx answers, naming the API's code and field. */
export async function apiRequest(url: string, init: RequestInit & { apiKey?: string }): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.apiKey) headers.set('authorization', `Bearer ${init.apiKey}`);
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new ApiRequestError(
      0,
      'unreachable',
      `cannot reach the dispatcher at ${new URL(url).origin} (${cause}); is \`npm start\` running? (--url to point elsewhere)`,
    );
  }
  if (res.ok) return res;
  let body: { error?: { code?: string; message?: string; field?: string } } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON
  }
  throw new ApiRequestError(res.status, body.error?.code ?? `http_${res.status}`, body.error?.message ?? res.statusText, body.error?.field);
}
