// What a section shows while its data loads or when loading failed.
import type { ComponentChildren } from 'preact';

interface Props {
  loading: boolean;
  error: string | null;
  hasData: boolean;
  children: ComponentChildren;
}

export function LoadState({ loading, error, hasData, children }: Props) {
  return (
    <>
      {error ? <p class="notice error" role="alert">{error}</p> : null}
      {hasData ? children : loading ? <p class="muted">Loading…</p> : null}
    </>
  );
}
