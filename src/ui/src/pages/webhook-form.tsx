// Subscribe a URL to feed events. The secret signs each delivery (HMAC-SHA256 in X-Voltgate-Signature).
import { useState } from 'preact/hooks';
import { api, describeError } from '../api/client';
import { EVENT_NAMES, type Webhook } from '../api/types';

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function WebhookForm({ onCreated }: { onCreated: (hook: Webhook) => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['*']);
  const [secret, setSecret] = useState(randomSecret);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function toggle(event: string, on: boolean) {
    // "*" means every event, so it excludes the individual ones and the other way round.
    if (event === '*') setEvents(on ? ['*'] : []);
    else setEvents(on ? [...events.filter((e) => e !== '*'), event] : events.filter((e) => e !== event));
  }

  async function create(submit: Event) {
    submit.preventDefault();
    if (events.length === 0) return setError('Choose at least one event.');
    setSaving(true);
    setError(null);
    try {
      const hook = await api.post<Webhook>('/webhooks', { url: url.trim(), events, secret });
      setUrl('');
      setSecret(randomSecret());
      onCreated(hook);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form class="card form-grid" onSubmit={create}>
      <h2 class="wide">New subscription</h2>
      <label class="wide">
        URL
        <input type="url" data-testid="webhook-url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://example.com/voltgate-hook" required />
      </label>
      <label class="wide">
        Secret (copy it now: it is never shown again)
        <input data-testid="webhook-secret" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} required />
      </label>
      <fieldset class="wide events">
        <legend>Events</legend>
        {['*', ...EVENT_NAMES].map((event) => (
          <label key={event} class="checkbox">
            <input type="checkbox" data-testid={`webhook-event-${event}`} checked={events.includes(event)} onChange={(e) => toggle(event, e.currentTarget.checked)} />
            {event === '*' ? 'All events' : event}
          </label>
        ))}
      </fieldset>
      {error ? <p class="notice error wide" role="alert">{error}</p> : null}
      <div class="button-row wide">
        <button type="submit" class="primary" data-testid="webhook-create" disabled={saving}>{saving ? 'Creating…' : 'Create subscription'}</button>
      </div>
    </form>
  );
}
