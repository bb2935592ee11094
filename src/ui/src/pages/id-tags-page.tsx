// The whitelist: search, add, edit, block, delete (with undo, since deleting is one click), import.
import { useEffect, useState } from 'preact/hooks';
import { api, describeError, seg } from '../api/client';
import type { IdTag, Page } from '../api/types';
import { LoadState } from '../components/load-state';
import { Pager } from '../components/pager';
import { StatusBadge } from '../components/status-badge';
import { formatTime } from '../lib/format';
import { useCursorPager } from '../lib/use-cursor-pager';
import { useResource } from '../lib/use-resource';
import { IdTagForm } from './id-tag-form';
import { IdTagImport } from './id-tag-import';

const PAGE_SIZE = 200;

type Editing = { mode: 'closed' } | { mode: 'add' } | { mode: 'edit'; tag: IdTag };

export function IdTagsPage() {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const pager = useCursorPager();
  const tags = useResource(() => api.get<Page<IdTag>>('/id-tags', { q: query, limit: PAGE_SIZE, cursor: pager.cursor }), [query, pager.cursor]);
  const [editing, setEditing] = useState<Editing>({ mode: 'closed' });
  const [notice, setNotice] = useState<{ text: string; undo?: IdTag; error?: boolean } | null>(null);

  // Search as the operator types, once they pause.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (search.trim() !== query) {
        setQuery(search.trim());
        pager.reset();
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [search]);

  async function act(describe: string, call: () => Promise<unknown>, undo?: IdTag) {
    try {
      await call();
      setNotice({ text: describe, undo });
      tags.reload(true);
    } catch (error) {
      setNotice({ text: describeError(error), error: true });
    }
  }

  const block = (tag: IdTag) =>
    act(`${tag.idTag} is blocked.`, () => api.put(`/id-tags/${seg(tag.idTag)}`, { ...withoutId(tag), status: 'Blocked' }));
  const remove = (tag: IdTag) => act(`${tag.idTag} was deleted.`, () => api.delete(`/id-tags/${seg(tag.idTag)}`), tag);
  const restore = (tag: IdTag) => act(`${tag.idTag} was restored.`, () => api.put(`/id-tags/${seg(tag.idTag)}`, withoutId(tag)));

  return (
    <section>
      <div class="page-head">
        <h1>ID tags</h1>
        <button type="button" class="primary" data-testid="idtag-add" onClick={() => setEditing({ mode: 'add' })}>Add ID tag</button>
      </div>
      {editing.mode !== 'closed' ? (
        <IdTagForm
          key={editing.mode === 'edit' ? editing.tag.idTag : '+new'}
          existing={editing.mode === 'edit' ? editing.tag : null}
          onCancel={() => setEditing({ mode: 'closed' })}
          onSaved={(saved) => {
            setEditing({ mode: 'closed' });
            setNotice({ text: `${saved.idTag} saved.` });
            tags.reload(true);
          }}
        />
      ) : null}
      {notice ? (
        <p class={`notice ${notice.error ? 'error' : 'success'}`} role="status">
          {notice.text}{' '}
          {notice.undo ? <button type="button" class="link" onClick={() => restore(notice.undo!)}>Undo</button> : null}
        </p>
      ) : null}
      <IdTagImport onImported={() => tags.reload(true)} />
      <div class="card">
        <input type="search" class="search" data-testid="idtag-search" placeholder="Search tags and labels…" value={search} onInput={(e) => setSearch(e.currentTarget.value)} aria-label="Search ID tags" />
        <LoadState loading={tags.loading} error={tags.error} hasData={tags.data !== undefined}>
          <div class="scroll-x">
            <table data-testid="idtags-table">
              <thead>
                <tr><th>ID tag</th><th>Status</th><th>Expires</th><th>Parent</th><th class="num">Max active</th><th>Label</th><th>Actions</th></tr>
              </thead>
              <tbody>
                {(tags.data?.items ?? []).map((tag) => (
                  <tr key={tag.idTag} data-testid={`idtag-row-${tag.idTag}`}>
                    <td class="strong">{tag.idTag}</td>
                    <td><StatusBadge status={tag.status} /></td>
                    <td class="nowrap">{formatTime(tag.expiryDate)}</td>
                    <td>{tag.parentIdTag ?? '—'}</td>
                    <td class="num">{tag.maxActiveTransactions ?? '—'}</td>
                    <td>{tag.label ?? ''}</td>
                    <td class="actions">
                      <button type="button" class="small" data-testid={`idtag-edit-${tag.idTag}`} onClick={() => setEditing({ mode: 'edit', tag })}>Edit</button>
                      <button type="button" class="small" data-testid={`idtag-block-${tag.idTag}`} disabled={tag.status === 'Blocked'} onClick={() => block(tag)}>Block</button>
                      <button type="button" class="small danger" data-testid={`idtag-delete-${tag.idTag}`} onClick={() => remove(tag)}>Delete</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {tags.data?.items.length === 0 ? <p class="empty">{query ? `No tag matches “${query}”.` : 'No ID tags yet: add one or import a CSV file.'}</p> : null}
          <Pager pager={pager} nextCursor={tags.data?.nextCursor} />
        </LoadState>
      </div>
    </section>
  );
}

function withoutId({ idTag: _idTag, ...fields }: IdTag): Omit<IdTag, 'idTag'> {
  return fields;
}
