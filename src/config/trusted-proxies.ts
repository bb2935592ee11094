// VOLTGATE_TRUSTED_PROXIES: the addresses of TLS-terminating proxies whose forwarded headers are believed.
import { BlockList, isIP } from 'node:net';
import { ConfigError } from './config-error.js';

/** The list as a BlockList (its check() says whether an address is one of them); a bad entry stops start-up, named. */
export function parseTrustedProxies(list: string): BlockList {
  const proxies = new BlockList();
  for (const entry of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [address, bits] = entry.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? null : Number(bits);
    if (family === 0 || (prefix !== null && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128)))) {
      throw new ConfigError(`VOLTGATE_TRUSTED_PROXIES (setting trustedProxies): "${entry}" is not an IP address or CIDR range`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === null) proxies.addAddress(address, type);
    else proxies.addSubnet(address, prefix, type);
  }
  return proxies;
}
