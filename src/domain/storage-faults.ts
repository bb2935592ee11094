// Storage that cannot commit or read right now (the database restarting or unreachable, a full disk) is a
// fault of the surroundings, not of the message: whoever meets it fails that one request and carries on.
// Storage marks such errors with `storageUnavailable: true` (storage/faults.ts); this tells them apart.

export function isStorageUnavailable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { storageUnavailable?: unknown }).storageUnavailable === true;
}
