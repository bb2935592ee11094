// Add or edit one ID tag. The API's PUT replaces the whole tag, so every field is sent.
import { useState } from 'preact/hooks';
import { api, describeError, seg } from '../api/client';
import { ID_TAG_STATUSES, type IdTag, type IdTagStatus } from '../api/types';
import { toDateInput } from '../lib/format';

interface Props {
  /** The tag being edited, or null to add a new one. */
  existing: IdTag | null;
  onSaved: (tag: IdTag) => void;
  onCancel: () => void;
}


/** OCPP 2.x IdTokenEnumType: how a token is sent to a 2.x charger's local list. */
const TOKEN_TYPES = ['ISO14443', 'ISO15693', 'eMAID', 'KeyCode', 'Local', 'MacAddress', 'Central', 'NoAuthorization'];
export function IdTagForm({ existing, onSaved, onCancel }: Props) {
  const [idTag, setIdTag] = useState(existing?.idTag ?? '');
  const [status, setStatus] = useState<IdTagStatus>(existing?.status ?? 'Accepted');
  const [expiry, setExpiry] = useState(existing?.expiryDate ? toDateInput(new Date(existing.expiryDate)) : '');
  const [parent, setParent] = useState(existing?.parentIdTag ?? '');
  const [maxActive, setMaxActive] = useState(existing?.maxActiveTransactions?.toString() ?? '');
  const [label, setLabel] = useState(existing?.label ?? '');
  const [tokenType, setTokenType] = useState(existing?.idTokenType ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(event: Event) {
    event.preventDefault();
    const tag = idTag.trim();
    if (!tag) return setError('The ID tag is required.');
    if (maxActive && !/^\d+$/.test(maxActive)) return setError('Max active sessions must be a whole number.');
    setSaving(true);
    setError(null);
    try {
      const saved = await api.put<IdTag>(`/id-tags/${seg(tag)}`, {
        status,
        // The end of the chosen day (local time): "expires on the 31st" still works on the 31st.
        expiryDate: expiry ? new Date(`${expiry}T23:59:59`).toISOString() : null,
        parentIdTag: parent.trim() || null,
        maxActiveTransactions: maxActive ? Number(maxActive) : null,
        label: label.trim() || null,
        idTokenType: tokenType || null,
      });
      onSaved(saved);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form class="card form-grid" onSubmit={save} data-testid="idtag-form">
      <h2 class="wide">{existing ? `Edit ${existing.idTag}` : 'Add an ID tag'}</h2>
      <label>
        ID tag
        <input data-testid="idtag-form-idtag" value={idTag} maxLength={36} disabled={existing !== null} onInput={(e) => setIdTag(e.currentTarget.value)} required autofocus />
      </label>
      <label>
        Status
        <select data-testid="idtag-form-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as IdTagStatus)}>
          {ID_TAG_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <label>
        Expires on
        <input type="date" data-testid="idtag-form-expiry" value={expiry} onInput={(e) => setExpiry(e.currentTarget.value)} />
      </label>
      <label>
        Parent ID tag
        <input data-testid="idtag-form-parent" value={parent} maxLength={36} onInput={(e) => setParent(e.currentTarget.value)} />
      </label>
      <label>
        Max active sessions
        <input type="number" min="0" step="1" data-testid="idtag-form-max-active" value={maxActive} onInput={(e) => setMaxActive(e.currentTarget.value)} placeholder="default" />
      </label>
      <label>
        Label
        <input data-testid="idtag-form-label" value={label} onInput={(e) => setLabel(e.currentTarget.value)} placeholder="e.g. fleet car 12" />
      </label>
      <label>
        Token type (OCPP 2.x)
        <select data-testid="idtag-form-token-type" value={tokenType} onChange={(e) => setTokenType(e.currentTarget.value)}>
          <option value="">unknown</option>
          {TOKEN_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      {error ? <p class="notice error wide" role="alert" data-testid="idtag-form-error">{error}</p> : null}
      <div class="button-row wide">
        <button type="submit" class="primary" data-testid="idtag-save" disabled={saving}>{saving ? 'Saving…' : 'Save'}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
