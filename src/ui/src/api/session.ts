// The operator key, kept in localStorage so a reload does not sign the operator out.
import { createStore } from '../lib/store';

const STORAGE_KEY = 'voltgate.operatorKey';

function readStoredKey(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (private mode): the key lives only in memory
  }
}

export const operatorKey = createStore<string | null>(readStoredKey());

/** Why the operator was sent back to the sign-in page, shown there once. */
export const signOutReason = createStore<string | null>(null);

export function signIn(key: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, key);
  } catch {
    /* memory only */
  }
  signOutReason.set(null);
  operatorKey.set(key);
}

export function signOut(reason: string | null = null): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* nothing stored */
  }
  signOutReason.set(reason);
  operatorKey.set(null);
}
