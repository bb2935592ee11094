// Webhook subscriptions: create, delete, re-enable one the server disabled after failures, see deliveries.
import { useState } from 'preact/hooks';
import { api, describeError, seg } from '../api/client';
import type { Page, Webhook } from '../api/types';
import { LoadState } from '../components/load-state';
import { WebhookDeliveries } from '../components/webhook-deliveries';
import { formatTime } from '../lib/format';
import { useResource } from '../lib/use-resource';
import { WebhookForm } from './webhook-form';

export function WebhooksPage() {
  const hooks = useResource(() => api.get<Page<Webhook>>('/webhooks', { limit: 1000 }), []);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function act(call: () => Promise<unknown>) {
    setError(null);
    try {
      await call();
    } catch (failure) {
      setError(describeError(failure));
    }
    hooks.reload(true);
  }

  const list = hooks.data?.items ?? [];
  return (
    <section data-testid="webhooks-page">
      <div class="page-head">
        <h1>Webhooks</h1>
      </div>
      <WebhookForm onCreated={() => hooks.reload(true)} />
      {error ? <p class="notice error" role="alert">{error}</p> : null}
      <LoadState loading={hooks.loading} error={hooks.error} hasData={hooks.data !== undefined}>
        {list.length === 0 ? <p class="empty">No subscriptions yet.</p> : null}
        {list.map((hook) => (
          <div class="card webhook" key={hook.id} data-testid={`webhook-${hook.id}`}>
            <div class="section-head">
              <div>
                <h2 class="url">{hook.url}</h2>
                <p class="muted small">
                  {hook.events.includes('*') ? 'All events' : hook.events.join(', ')} · created {formatTime(hook.createdAt)}
                </p>
              </div>
              <span class={`badge tone-${hook.enabled ? 'ok' : 'bad'}`} data-testid={`webhook-state-${hook.id}`}>
                {hook.enabled ? 'enabled' : 'disabled'}
              </span>
            </div>
            {!hook.enabled ? (
              <p class="notice">Disabled {formatTime(hook.disabledAt)} after {hook.consecutiveFailures} failed deliveries in a row.</p>
            ) : hook.consecutiveFailures > 0 ? (
              <p class="notice">{hook.consecutiveFailures} failed deliveries in a row.</p>
            ) : null}
            <div class="button-row">
              <button type="button" class="small" data-testid={`webhook-deliveries-toggle-${hook.id}`} onClick={() => setOpen(open === hook.id ? null : hook.id)}>
                {open === hook.id ? 'Hide deliveries' : 'Deliveries'}
              </button>
              {!hook.enabled ? (
                <button type="button" class="small" data-testid={`webhook-enable-${hook.id}`} onClick={() => act(() => api.post(`/webhooks/${seg(hook.id)}/enable`))}>
                  Re-enable
                </button>
              ) : null}
              <button type="button" class="small danger" data-testid={`webhook-delete-${hook.id}`} onClick={() => act(() => api.delete(`/webhooks/${seg(hook.id)}`))}>
                Delete
              </button>
            </div>
            {open === hook.id ? <WebhookDeliveries webhookId={hook.id} /> : null}
          </div>
        ))}
      </LoadState>
    </section>
  );
}
