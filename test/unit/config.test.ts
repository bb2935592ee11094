import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config/load.js';

describe('loadConfig', () => {
  it('defaults match the product contract (PORT 8080, HOST 0.0.0.0, ./data, 30 s call timeout)', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.dataDir, './data');
    assert.equal(config.callTimeoutMs, 30000);
    assert.equal(config.databaseUrl, null);
  });
  it('flags win over environment variables', () => {
    assert.equal(loadConfig({ PORT: '9000' }, { port: '9001' }).port, 9001);
    assert.equal(loadConfig({ PORT: '9000' }).port, 9000);
  });
  it('a bad value stops start-up with an error naming the setting', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message));
    assert.throws(() => loadConfig({ VOLTGATE_UNKNOWN_CHARGERS: 'maybe' }), /VOLTGATE_UNKNOWN_CHARGERS.*reject, pending, accept/);
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
    assert.throws(() => loadConfig({ VOLTGATE_STRICT_SUBPROTOCOL: 'perhaps' }), /VOLTGATE_STRICT_SUBPROTOCOL/);
  });

  it('TLS settings go together, and an authorizer at a cloud-metadata address is refused unless allowed', () => {
    assert.throws(() => loadConfig({ VOLTGATE_TLS_CERT: '/etc/voltgate/server.pem' }), /VOLTGATE_TLS_CERT .* and VOLTGATE_TLS_KEY .* go together/);
    assert.throws(() => loadConfig({ VOLTGATE_TLS_ONLY: 'true' }), /VOLTGATE_TLS_ONLY .* needs VOLTGATE_TLS_CERT/);
    assert.throws(() => loadConfig({ VOLTGATE_TLS_CA: '/etc/voltgate/ca.pem' }), /VOLTGATE_TLS_CA .* needs VOLTGATE_TLS_CERT/);
    const served = { VOLTGATE_TLS_CERT: '/etc/voltgate/server.pem', VOLTGATE_TLS_KEY: '/etc/voltgate/server.key' };
    assert.throws(() => loadConfig({ ...served, VOLTGATE_TLS_CRL: '/etc/voltgate/crl.pem' }), /VOLTGATE_TLS_CRL .* needs VOLTGATE_TLS_CA/);
    assert.equal(loadConfig({ ...served, VOLTGATE_TLS_CA: '/etc/voltgate/ca.pem', VOLTGATE_TLS_CRL: '/etc/voltgate/crl.pem' }).tlsCrl, '/etc/voltgate/crl.pem');
    const proxied = { VOLTGATE_TRUSTED_PROXIES: '10.0.0.1', VOLTGATE_TLS_CA: '/etc/voltgate/ca.pem' };
    assert.equal(loadConfig({ ...proxied, VOLTGATE_TLS_CRL: '/etc/voltgate/crl.pem' }).tlsCrl, '/etc/voltgate/crl.pem', 'a CRL for the certificates a proxy forwards');
    assert.throws(() => loadConfig({ VOLTGATE_AUTHORIZER_URL: 'http://169.254.169.254/latest/meta-data' }), /VOLTGATE_AUTHORIZER_URL .*link-local or cloud-metadata/);
    assert.equal(loadConfig({ VOLTGATE_AUTHORIZER_URL: 'http://169.254.10.10/auth', VOLTGATE_ALLOW_LINK_LOCAL_URLS: 'true' }).authorizerUrl, 'http://169.254.10.10/auth');
  });
});
