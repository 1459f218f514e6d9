import { useEffect, useRef, useState } from 'preact/hooks';
import { apiJson } from './api/api-fetch.ts';

/**
 * A JSON read the feed does not carry (`/v1/quotas`, `/v1/models`): fetched at once, then again
 * on a feed tick once `everyMs` passed since the last read — the feed paces it, and a closed
 * or idle page asks nothing.
 */
export function useApiData<T>(
  path: string,
  tick: number | null,
  everyMs: number,
  authGeneration: number,
): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const last = useRef(0);
  const gen = useRef(authGeneration);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  useEffect(() => {
    const fresh = gen.current !== authGeneration;
    gen.current = authGeneration;
    if (!fresh && last.current !== 0 && Date.now() - last.current < everyMs) return;
    last.current = Date.now();
    // Not cancelled by the next tick: an answer slower than a tick still lands (only unmounting drops it).
    apiJson<T>(path)
      .then((d) => {
        if (!mounted.current) return;
        setData(d);
        setError(null);
      })
      .catch((err: unknown) => {
        if (mounted.current) setError(err instanceof Error ? err.message : String(err));
      });
  }, [path, tick, everyMs, authGeneration]);
  return { data, error };
}
