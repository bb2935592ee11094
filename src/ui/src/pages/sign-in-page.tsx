// Sign-in with the operator key: checked against the API before it is kept.
import { useState } from 'preact/hooks';
import { ApiError, UnreachableError, describeError, request } from '../api/client';
import { signIn, signOutReason } from '../api/session';
import { UnreachableBanner } from '../components/unreachable-banner';
import { useStore } from '../lib/store';

export function SignInPage() {
  const [key, setKey] = useState('');
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reason = useStore(signOutReason);

  async function submit(event: Event) {
    event.preventDefault();
    const candidate = key.trim();
    if (!candidate) {
      setError('Enter the operator key.');
      return;
    }
    setChecking(true);
    setError(null);
    try {
      await request('/charge-points', { query: { limit: 1 }, key: candidate });
      signIn(candidate);
      if (!location.hash || location.hash === '#/' || location.hash === '#') location.hash = '#/chargers';
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) setError('Wrong key: the server refused it.');
      else if (failure instanceof UnreachableError) setError('Cannot reach the Voltgate server. Try again in a moment.');
      else setError(describeError(failure));
    } finally {
      setChecking(false);
    }
  }

  return (
    <div class="sign-in-shell">
      <UnreachableBanner />
      <form class="card sign-in" onSubmit={submit}>
        <h1>
          <span class="brand-mark" aria-hidden="true">⚡</span> Voltgate
        </h1>
        <p class="muted">Sign in with the operator key (VOLTGATE_API_KEY of the server).</p>
        {reason && !error ? <p class="notice">{reason}</p> : null}
        <label>
          Operator key
          <input
            type="password"
            autocomplete="current-password"
            data-testid="api-key"
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
            autofocus
          />
        </label>
        {error ? (
          <p class="notice error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        ) : null}
        <button type="submit" class="primary" data-testid="sign-in" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
