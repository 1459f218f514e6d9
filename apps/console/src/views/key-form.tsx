import { useState } from 'preact/hooks';
import { authState } from '../api/auth-state.ts';
import { saveApiKey } from '../api/key-store.ts';

/**
 * Shown when the API answered 401: the operator types an API key (the same keys as the API),
 * kept in sessionStorage for this tab and sent as `Authorization: Bearer`.
 */
export function KeyForm() {
  const [key, setKey] = useState('');
  return (
    <form
      class="key-form"
      aria-labelledby="key-form-title"
      onSubmit={(e) => {
        e.preventDefault();
        const k = key.trim();
        if (!k) return;
        saveApiKey(k);
        setKey('');
        authState.satisfied();
      }}
    >
      <h2 id="key-form-title">API key needed</h2>
      <p>This dispatcher needs an API key. It is kept in this tab only (sessionStorage) and sent as a Bearer token.</p>
      <label>
        API key{' '}
        <input
          type="password"
          name="apiKey"
          autoComplete="off"
          autoFocus
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
        />
      </label>{' '}
      <button type="submit">Use key</button>
    </form>
  );
}
