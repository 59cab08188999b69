import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, api } from '../api.ts';
import type { SessionView } from '../types.ts';

type Credentials = { readonly token: string } | { readonly code: string };

/**
 * Reads a one-time code from `#code=` (the link `cronplane dashboard` prints; a fragment never
 * reaches the server) and removes it from the address and the history.
 */
function codeFromFragment(): Credentials | undefined {
  const code = new URLSearchParams(window.location.hash.slice(1)).get('code') ?? undefined;
  if (code === undefined) return undefined;
  history.replaceState(null, '', window.location.pathname);
  return { code };
}

/** Sign-in: an API token exchanged for a session cookie (`POST /api/session`). */
export function SignInPage({ onSignedIn }: { readonly onSignedIn: (session: SessionView) => void }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const signIn = async (credentials: Credentials) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const answer = await api.post<{ session: SessionView }>('/api/session', credentials);
      onSignedIn(answer.session);
    } catch (thrown) {
      setProblem(thrown instanceof ApiFailure ? thrown.message : 'the daemon could not be reached');
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const fromLink = codeFromFragment();
    if (fromLink !== undefined) void signIn(fromLink);
  }, []);

  return (
    <main class="sign-in">
      <h1>cronplane</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void signIn({ token: token.trim() });
        }}
      >
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          required
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
        />
        <p class="hint">
          Create one with <code>cronplane token create NAME --scope read</code>, or open the link{' '}
          <code>cronplane dashboard</code> prints.
        </p>
        {problem !== undefined && (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
