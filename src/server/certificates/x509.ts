// The one door to @peculiar/x509 (CSR parsing, certificate signing): it needs the Reflect metadata polyfill loaded
// first, and Node's WebCrypto as its provider.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
export const subtle = webcrypto.subtle;
