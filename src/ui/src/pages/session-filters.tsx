// The filter bar of the sessions page. Edits stay local until "Apply", so typing does not fire requests.
import { useState } from 'preact/hooks';
import type { ChargePoint } from '../api/types';

export interface SessionFilter {
  chargePointId: string;
  idTag: string;
  from: string;
  to: string;
  activeOnly: boolean;
}

export const EMPTY_FILTER: SessionFilter = { chargePointId: '', idTag: '', from: '', to: '', activeOnly: false };

interface Props {
  initial: SessionFilter;
  chargers: ChargePoint[];
  onApply: (filter: SessionFilter) => void;
  error: string | null;
}

export function SessionFilters({ initial, chargers, onApply, error }: Props) {
  const [draft, setDraft] = useState(initial);
  const edit = (patch: Partial<SessionFilter>) => setDraft({ ...draft, ...patch });
  return (
    <form class="filters card" onSubmit={(e) => (e.preventDefault(), onApply(draft))}>
      <label>
        Charger
        <input data-testid="filter-charger" list="known-chargers" value={draft.chargePointId} onInput={(e) => edit({ chargePointId: e.currentTarget.value })} placeholder="any" />
        <datalist id="known-chargers">
          {chargers.map((c) => <option key={c.id} value={c.id} />)}
        </datalist>
      </label>
      <label>
        ID tag
        <input data-testid="filter-idtag" value={draft.idTag} onInput={(e) => edit({ idTag: e.currentTarget.value })} placeholder="any" />
      </label>
      <label>
        From
        <input data-testid="filter-from" value={draft.from} onInput={(e) => edit({ from: e.currentTarget.value })} placeholder="YYYY-MM-DD" title="A date (YYYY-MM-DD) or a time (YYYY-MM-DD HH:MM), local time" inputMode="numeric" />
      </label>
      <label>
        To
        <input data-testid="filter-to" value={draft.to} onInput={(e) => edit({ to: e.currentTarget.value })} placeholder="YYYY-MM-DD" title="A date (YYYY-MM-DD) or a time (YYYY-MM-DD HH:MM), local time" inputMode="numeric" />
      </label>
      <label class="checkbox">
        <input type="checkbox" data-testid="filter-active" checked={draft.activeOnly} onChange={(e) => edit({ activeOnly: e.currentTarget.checked })} />
        Active only
      </label>
      <div class="button-row">
        <button type="submit" class="primary" data-testid="apply-filters">Apply</button>
        <button type="button" onClick={() => (setDraft(EMPTY_FILTER), onApply(EMPTY_FILTER))}>Clear</button>
      </div>
      {error ? <p class="notice error wide">{error}</p> : null}
    </form>
  );
}
