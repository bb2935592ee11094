// The simulator's SOAP chargers against the real server over real HTTP: a 1.6 and a 1.5 charger each run a whole
// session that REST shows, and each answers the operator's commands at the ChargePointService it serves.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatedCharger } from '../../src/simulator/charger.js';
import { loadProfile } from '../../src/simulator/profile.js';
import { startTestServer, type TestServer } from '../support/server.js';

const profile = { ...loadProfile('generic'), connectors: 1, meterValuesPerSession: 3 };
const json = { 'content-type': 'application/json' };

describe('simulated SOAP chargers', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    await t.api('/api/v1/id-tags/SIM-SOAP', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Accepted' }) });
  });
  after(() => t.close());

  for (const [version, path] of [['1.6', 'ocpp16'], ['1.5', 'ocpp15']] as const) {
    it(`OCPP ${version} over SOAP: a whole session shows through REST, and the charger answers a command at its own service`, async () => {
      const id = `SIM-SOAP-${path}`;
      const charger = new SimulatedCharger({ url: `${t.httpUrl}/soap/${path}`, id, profile, idTags: ['SIM-SOAP'], sessions: 1, meterIntervalMs: 0, idleMs: 0, soap: version });
      await charger.run();
      assert.equal(charger.sessionsCompleted, 1);
      const sessions = (await (await t.api(`/api/v1/transactions?chargePointId=${id}`)).json()) as any;
      assert.equal(sessions.items.length, 1);
      const tx = sessions.items[0];
      assert.deepEqual([tx.idTag, tx.status], ['SIM-SOAP', 'Completed']);
      assert.ok(tx.energyWh > 0);
      const cp = (await (await t.api(`/api/v1/charge-points/${id}`)).json()) as any;
      assert.equal(cp.protocol, `ocpp${version}s`);
      const reset = await t.api(`/api/v1/charge-points/${id}/ocpp/Reset`, { method: 'POST', headers: json, body: JSON.stringify({ type: 'Soft' }) });
      assert.deepEqual([reset.status, await reset.json()], [200, { status: 'Accepted' }]);
      charger.close();
    });
  }
});
