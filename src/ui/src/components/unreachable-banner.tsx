// Shown on every page while the server does not answer; requests keep retrying in the background.
import { serverReachable } from '../api/connectivity';
import { useStore } from '../lib/store';

export function UnreachableBanner() {
  const reachable = useStore(serverReachable);
  if (reachable) return null;
  return (
    <div class="banner" role="alert" data-testid="server-unreachable">
      Cannot reach the Voltgate server. Retrying… what is shown may be out of date.
    </div>
  );
}
