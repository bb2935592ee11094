// Webhook and authorizer URLs never reach the link-local range or a cloud's metadata service (issue 12, hardening).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forbiddenOutboundUrl } from '../../src/config/outbound-urls.js';

describe('outbound URLs', () => {
  it('refuses link-local and metadata addresses however they are written', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://169.254.1.1:8080/hook',
      'http://2852039166/',
      'http://0xa9fea9fe/',
      'http://[::ffff:169.254.169.254]/',
      'http://[fd00:ec2::254]/latest/meta-data',
      'http://[fe80::1]/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.GOOGLE.INTERNAL./',
    ]) {
      assert.ok(forbiddenOutboundUrl(url), url);
    }
  });
  it('lets everything else through', () => {
    for (const url of ['https://hooks.example.com/voltgate', 'http://127.0.0.1:9000/hook', 'http://10.0.0.5/auth', 'http://[::1]:8080/', 'http://169.255.0.1/', 'http://[fd00:ec2::253]/']) {
      assert.equal(forbiddenOutboundUrl(url), null, url);
    }
  });
});
