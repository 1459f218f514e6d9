// The API key the operator typed, kept for this tab only (sessionStorage): the server never
// sends a key to the browser, and the page never writes one anywhere else.

const storageKey = 'turnpool.console.apiKey';

export function readApiKey(): string | null {
  try {
    return sessionStorage.getItem(storageKey);
  } catch {
    // Storage can be disabled (privacy settings): the page then asks again after a reload.
    return null;
  }
}

export function saveApiKey(key: string): void {
  try {
    sessionStorage.setItem(storageKey, key);
  } catch {
    // As above: without storage the key lives only in memory (memoryKey).
  }
  memoryKey = key;
}

export function forgetApiKey(): void {
  try {
    sessionStorage.removeItem(storageKey);
  } catch {
    // Nothing stored, nothing to remove.
  }
  memoryKey = null;
}

let memoryKey: string | null = null;

/** The key to send: sessionStorage first, else the one typed in this page's lifetime. */
export function currentApiKey(): string | null {
  return readApiKey() ?? memoryKey;
}
