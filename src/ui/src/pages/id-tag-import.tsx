// CSV import of ID tags: upload progress, then "processing…" until the server answers, then the count
// or the invalid lines. The import is all or nothing, so any error means nothing changed.
import { useState } from 'preact/hooks';
import { API_BASE, authHeader, parseError } from '../api/client';
import { markReachable, markUnreachable } from '../api/connectivity';
import type { ImportLineError, ImportResult } from '../api/types';
import { uploadWithProgress } from '../lib/upload';

type ImportState =
  | { phase: 'idle' }
  | { phase: 'uploading'; fraction: number }
  | { phase: 'processing' }
  | { phase: 'done'; result: ImportResult }
  | { phase: 'failed'; message: string; lines: ImportLineError[] };

export function IdTagImport({ onImported }: { onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<ImportState>({ phase: 'idle' });
  const busy = state.phase === 'uploading' || state.phase === 'processing';

  async function start() {
    if (!file) return;
    setState({ phase: 'uploading', fraction: 0 });
    try {
      const answer = await uploadWithProgress({
        url: `${API_BASE}/id-tags/import`,
        body: await file.text(),
        headers: { ...authHeader(), 'Content-Type': 'text/csv' },
        onProgress: (fraction) => setState({ phase: 'uploading', fraction }),
        onSent: () => setState({ phase: 'processing' }),
      });
      if (answer.status >= 200 && answer.status < 300) {
        markReachable();
        setState({ phase: 'done', result: JSON.parse(answer.text) as ImportResult });
        onImported();
        return;
      }
      const error = parseError(answer.status, answer.text);
      if (error === null) throw new Error('unreachable');
      markReachable();
      const lines = Array.isArray(error.details) ? (error.details as ImportLineError[]) : [];
      setState({ phase: 'failed', message: error.message, lines });
    } catch {
      markUnreachable();
      setState({ phase: 'failed', message: 'Cannot reach the Voltgate server: nothing was imported.', lines: [] });
    }
  }

  const percent = state.phase === 'uploading' ? Math.round(state.fraction * 100) : state.phase === 'idle' ? 0 : 100;
  return (
    <div class="card">
      <h2>Import from CSV</h2>
      <p class="muted small">
        A header row, then one tag per line: <code>idTag,status,expiryDate,parentIdTag,maxActiveTransactions,label</code>. Existing tags are replaced;
        if any line is invalid, nothing is imported.
      </p>
      <div class="button-row">
        <input type="file" accept=".csv,text/csv" data-testid="idtag-import-file" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        <button type="button" class="primary" data-testid="idtag-import" disabled={!file || busy} onClick={start}>
          Import
        </button>
      </div>
      {state.phase !== 'idle' ? (
        <div class="progress" data-testid="idtag-import-progress" aria-live="polite">
          <progress max={100} value={state.phase === 'processing' ? undefined : percent} />
          <span>{state.phase === 'uploading' ? `Uploading… ${percent}%` : state.phase === 'processing' ? 'Processing…' : 'Finished'}</span>
        </div>
      ) : null}
      {state.phase === 'done' ? (
        <p class="notice success" data-testid="idtag-import-result">
          Imported {state.result.imported} tags ({state.result.created} new, {state.result.updated} updated).
        </p>
      ) : null}
      {state.phase === 'failed' ? (
        <>
          <p class="notice error" data-testid="idtag-import-result">Nothing imported: {state.message}</p>
          {state.lines.length > 0 ? (
            <ul class="line-errors" data-testid="idtag-import-errors">
              {state.lines.map((line, i) => (
                <li key={i}>Line {line.line}{line.field ? ` (${line.field})` : ''}: {line.message}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
