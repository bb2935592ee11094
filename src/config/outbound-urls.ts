// Where Voltgate may send requests it is told to send (webhooks, the operator's authorizer): not to the link-local
// range or a cloud's instance-metadata service, which hand out the machine's own credentials to whoever asks from
// inside it. A setting (VOLTGATE_ALLOW_LINK_LOCAL_URLS) allows them for the rare site that needs one.
import { BlockList, isIP } from 'node:net';

const METADATA = new BlockList();
METADATA.addSubnet('169.254.0.0', 16, 'ipv4');
METADATA.addSubnet('fe80::', 10, 'ipv6');
// AWS's instance-metadata service over IPv6.
METADATA.addAddress('fd00:ec2::254', 'ipv6');

/** Names that clouds resolve to their metadata service. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

/** IPv4 written inside IPv6 (::ffff:169.254.169.254, which URL parsing turns into ::ffff:a9fe:a9fe) is the IPv4 address. */
export function mappedIpv4(address: string): string | undefined {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  if (dotted) return dotted;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (!hex) return undefined;
  const [high, low] = [Number.parseInt(hex[1], 16), Number.parseInt(hex[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Why `url` may not be called (its host is link-local or a metadata service), or null when it may. */
export function forbiddenOutboundUrl(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return null;
  }
  const address = host.startsWith('[') ? host.slice(1, -1) : host;
  const family = isIP(address);
  const mapped = family === 6 ? mappedIpv4(address) : undefined;
  const blocked = mapped
    ? METADATA.check(mapped, 'ipv4')
    : family === 4
      ? METADATA.check(address, 'ipv4')
      : family === 6
        ? METADATA.check(address, 'ipv6')
        : METADATA_NAMES.has(address);
  return blocked ? `${host} is a link-local or cloud-metadata address (set VOLTGATE_ALLOW_LINK_LOCAL_URLS=true to allow it)` : null;
}
