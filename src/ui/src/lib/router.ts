// Hash routing (#/chargers/SIM-1): the server serves one index.html, so every view lives after the #.
import { useEffect, useState } from 'preact/hooks';

export function currentPath(): string {
  const path = location.hash.replace(/^#/, '');
  return path.startsWith('/') ? path : '/' + path;
}

export function useHashPath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return path;
}

export function navigate(path: string): void {
  location.hash = '#' + path;
}

/** Link target for a path, with each dynamic segment encoded. */
export function href(...segments: (string | number)[]): string {
  return '#/' + segments.map((segment) => encodeURIComponent(String(segment))).join('/');
}

/** Matches "/chargers/:id" against a path; returns the decoded parameters or null. */
export function matchRoute(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('?')[0].split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}
