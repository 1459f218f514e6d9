import { useEffect, useState } from 'preact/hooks';
import { authState } from './api/auth-state.ts';

/** Re-renders when the API asks for a key or a key is saved; returns the key generation (a dependency for effects that call the API). */
export function useAuth(): { needed: boolean; generation: number } {
  const [, setTick] = useState(0);
  useEffect(() => authState.subscribe(() => setTick((t) => t + 1)), []);
  return { needed: authState.needed, generation: authState.generation };
}
