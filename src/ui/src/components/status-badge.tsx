// A connector or charger state as a coloured pill; the colour family follows the state's meaning.
const TONES: Record<string, string> = {
  Available: 'ok',
  Accepted: 'ok',
  online: 'ok',
  Completed: 'neutral',
  Charging: 'busy',
  Active: 'busy',
  Preparing: 'busy',
  SuspendedEV: 'warn',
  SuspendedEVSE: 'warn',
  Finishing: 'busy',
  Reserved: 'warn',
  Occupied: 'busy',
  Pending: 'warn',
  Faulted: 'bad',
  Unavailable: 'bad',
  Blocked: 'bad',
  Expired: 'bad',
  Invalid: 'bad',
  Rejected: 'bad',
  ConcurrentTx: 'bad',
  offline: 'off',
};

export function toneOf(status: string): string {
  return TONES[status] ?? 'neutral';
}

interface Props {
  status: string;
  testId?: string;
  /** Extra text after the status (e.g. an error code), kept inside the badge's text. */
  detail?: string;
  title?: string;
}

export function StatusBadge({ status, testId, detail, title }: Props) {
  return (
    <span class={`badge tone-${toneOf(status)}`} data-testid={testId} title={title}>
      {status}
      {detail ? <small> · {detail}</small> : null}
    </span>
  );
}
