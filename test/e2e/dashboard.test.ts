// The dashboard in a real browser (issue 5): Debian's Chromium driven by playwright-core against the real
// server, with chargers that are real OCPP connections. Without Chromium the suite says so and is skipped,
// unless VOLTGATE_REQUIRE_BROWSER is set (.ci/run sets it): then its absence is a failure.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { bootPayload, startTestServer, TEST_API_KEY, type TestServer } from '../support/server.js';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import { soap16From } from '../support/soap-charger.js';
import { cpAnswer16, SoapStation } from '../support/soap-station.js';

const CHROMIUM = process.env.VOLTGATE_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = 'test-artifacts/screenshots';
const browserMissing = existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set VOLTGATE_CHROMIUM)`;
if (browserMissing && process.env.VOLTGATE_REQUIRE_BROWSER) throw new Error(`browser suite required but ${browserMissing}`);
if (browserMissing) console.log(`# dashboard browser suite not run: ${browserMissing}`);

const json = { 'content-type': 'application/json' };
const byTestId = (id: string) => `[data-testid="${id}"]`;

describe('dashboard in Chromium', { skip: browserMissing }, () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;

  /** Waits until the element's text satisfies the check (the page updates itself; no reloads here). */
  const textOf = async (testId: string, check: (text: string) => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    let last = '';
    while (Date.now() < deadline) {
      const element = await page.$(byTestId(testId));
      last = element ? ((await element.textContent()) ?? '') : '(absent)';
      if (check(last)) return last;
      await page.waitForTimeout(100);
    }
    assert.fail(`${what}: ${testId} reads "${last}"`);
  };
  const screenshot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestServer();
    await t.api('/api/v1/id-tags/E2E-TAG', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Accepted', label: 'Test driver' }) });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // The dashboard must not reach anything but its own server.
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(t.httpUrl) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) outside.push(request.url());
    });
    after(() => assert.deepEqual(outside, [], 'requests outside the server'));
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in with the operator key; a wrong key is refused with a message', async () => {
    await page.goto(t.httpUrl);
    await page.fill(byTestId('api-key'), 'not-the-key');
    await page.click(byTestId('sign-in'));
    await page.waitForSelector(byTestId('sign-in-error'));
    await screenshot('sign-in');
    await page.fill(byTestId('api-key'), TEST_API_KEY);
    await page.click(byTestId('sign-in'));
    await page.waitForSelector(byTestId('chargers-table'));
  });

  it('a charger appears in the list and changes status live, from the event feed', async () => {
    await page.click(byTestId('nav-chargers'));
    await page.waitForSelector(byTestId('chargers-table'));
    const cp = await t.charger('CP-E2E-LIVE');
    await cp.call('BootNotification', bootPayload);
    await cp.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    await textOf('charger-connected-CP-E2E-LIVE', (s) => s.trim() === 'online', 'the new charger online');
    await textOf('connector-status-CP-E2E-LIVE-1', (s) => s.includes('Available'), 'its connector');
    await cp.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
    await textOf('connector-status-CP-E2E-LIVE-1', (s) => s.includes('Charging'), 'the status change');
    await screenshot('chargers');
    cp.close();
    await textOf('charger-connected-CP-E2E-LIVE', (s) => s.trim() === 'offline', 'the disconnect');
  });

  it('starts and stops a session from the charger page, and the session shows in the sessions table', async () => {
    let cp!: RpcConnection;
    let transactionId = 0;
    cp = await t.charger('CP-E2E-REMOTE', {
      handlers: {
        // As a charger does: accept, then start the session it was asked for.
        RemoteStartTransaction: (payload: { idTag: string; connectorId?: number }) => {
          setTimeout(async () => {
            // A session that began ten minutes ago (as if the answer had been slow to travel), sampled every minute.
            const minute = (m: number) => new Date(Date.now() + (m - 10) * 60_000).toISOString();
            const answer = (await cp.call('StartTransaction', { connectorId: payload.connectorId ?? 1, idTag: payload.idTag, meterStart: 1000, timestamp: minute(0) })) as any;
            transactionId = answer.transactionId;
            const powers = [7200, 11000, 10800, 10900, 9500, 6100, 3200, 1500];
            let wh = 1000;
            for (const [i, w] of powers.entries()) {
              wh += Math.round(w / 60);
              await cp.call('MeterValues', {
                connectorId: 1,
                transactionId,
                meterValue: [{ timestamp: minute(i + 1), sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }, { value: String(w), measurand: 'Power.Active.Import', unit: 'W' }] }],
              });
            }
          }, 50);
          return { status: 'Accepted' };
        },
        RemoteStopTransaction: (payload: { transactionId: number }) => {
          setTimeout(() => void cp.call('StopTransaction', { transactionId: payload.transactionId, meterStop: 2000, timestamp: new Date().toISOString(), reason: 'Remote' }), 50);
          return { status: 'Accepted' };
        },
      },
    });
    await cp.call('BootNotification', bootPayload);
    await cp.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });

    await page.click(byTestId('nav-chargers'));
    await page.click(byTestId('charger-row-CP-E2E-REMOTE'));
    await page.waitForSelector(byTestId('charger-page'));
    await page.fill(byTestId('remote-start-idtag'), 'E2E-TAG');
    await page.selectOption(byTestId('remote-start-connector'), '1');
    await page.click(byTestId('remote-start'));
    await textOf('command-result', (s) => s.includes('Accepted'), 'the answer to the remote start');
    const started = Date.now();
    while (transactionId === 0 && Date.now() - started < 5000) await page.waitForTimeout(50);
    assert.ok(transactionId > 0, 'the charger started the session');

    // The active session becomes stoppable without reloading the page.
    await page.waitForSelector(`${byTestId('remote-stop-transaction')} option[value="${transactionId}"]`, { state: 'attached', timeout: 10_000 });
    await page.selectOption(byTestId('remote-stop-transaction'), String(transactionId));
    await screenshot('charger');
    await page.click(byTestId('remote-stop'));
    await textOf('command-result', (s) => s.includes('Accepted'), 'the answer to the remote stop');
    const completed = async () => ((await (await t.api(`/api/v1/transactions/${transactionId}`)).json()) as any).status === 'Completed';
    for (const until = Date.now() + 5000; !(await completed()) && Date.now() < until; ) await page.waitForTimeout(50);
    const stored = (await (await t.api(`/api/v1/transactions/${transactionId}`)).json()) as any;
    assert.equal(stored.status, 'Completed');

    await page.click(byTestId('nav-sessions'));
    await page.waitForSelector(byTestId('sessions-table'));
    await textOf(`session-row-${transactionId}`, (s) => s.includes('CP-E2E-REMOTE') && s.includes('E2E-TAG'), 'the session in the table');
    await screenshot('sessions');
    await page.click(byTestId(`session-row-${transactionId}`));
    await page.waitForSelector(`${byTestId('session-chart')} canvas`);
    await screenshot('session');
  });

  it('issue 10: a 2.0.1 station shows with its EVSEs, and remote start and stop from its page reach it as RequestStartTransaction and RequestStopTransaction', async () => {
    const id = 'ST-E2E-201';
    const stationTransactionId = 'e2e-201-tx-0001';
    // What the station was asked, and anything that went wrong in what it then said (its calls run after its answers).
    const asked: Array<{ action: string; payload: any }> = [];
    const failures: string[] = [];
    const later = (step: () => Promise<void>) => setTimeout(() => step().catch((error: unknown) => failures.push(String(error))), 50);
    // A session that began ten minutes ago, sampled every minute, told as TransactionEvents numbered by seqNo.
    const minute = (m: number) => new Date(Date.now() + (m - 10) * 60_000).toISOString();
    const energy = (wh: number, context: string) => ({ value: wh, measurand: 'Energy.Active.Import.Register', context, unitOfMeasure: { unit: 'Wh' } });
    let seqNo = 0;
    let wh = 1000;
    let startedStatus = '';
    let station!: RpcConnection;
    station = await t.charger(id, {
      protocols: ['ocpp2.0.1'],
      handlers: {
        // As a station does: accept, then start the session it was asked for on that EVSE, echoing the remoteStartId.
        RequestStartTransaction: (payload: { idToken: { idToken: string; type: string }; evseId?: number; remoteStartId: number }) => {
          asked.push({ action: 'RequestStartTransaction', payload });
          later(async () => {
            const evse = { id: payload.evseId ?? 1, connectorId: 1 };
            const answer = (await station.call('TransactionEvent', {
              eventType: 'Started', timestamp: minute(0), triggerReason: 'RemoteStart', seqNo: seqNo++,
              transactionInfo: { transactionId: stationTransactionId, remoteStartId: payload.remoteStartId, chargingState: 'Charging' },
              evse, idToken: payload.idToken,
              meterValue: [{ timestamp: minute(0), sampledValue: [energy(wh, 'Transaction.Begin')] }],
            })) as any;
            startedStatus = answer.idTokenInfo?.status ?? '(no idTokenInfo)';
            const powers = [7200, 11000, 10800, 10900, 9500, 6100, 3200, 1500];
            for (const [i, w] of powers.entries()) {
              wh += Math.round(w / 60);
              await station.call('TransactionEvent', {
                eventType: 'Updated', timestamp: minute(i + 1), triggerReason: 'MeterValuePeriodic', seqNo: seqNo++,
                transactionInfo: { transactionId: stationTransactionId, chargingState: 'Charging' },
                meterValue: [{ timestamp: minute(i + 1), sampledValue: [energy(wh, 'Sample.Periodic'), { value: w, measurand: 'Power.Active.Import', context: 'Sample.Periodic', unitOfMeasure: { unit: 'W' } }] }],
              });
            }
          });
          return { status: 'Accepted' };
        },
        // Stops the session it was named, then frees the EVSE.
        RequestStopTransaction: (payload: { transactionId: string }) => {
          asked.push({ action: 'RequestStopTransaction', payload });
          later(async () => {
            const at = new Date().toISOString();
            await station.call('TransactionEvent', {
              eventType: 'Ended', timestamp: at, triggerReason: 'RemoteStop', seqNo: seqNo++,
              transactionInfo: { transactionId: payload.transactionId, stoppedReason: 'Remote', chargingState: 'Idle' },
              meterValue: [{ timestamp: at, sampledValue: [energy(wh + 5, 'Transaction.End')] }],
            });
            await station.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: 2, connectorId: 1 });
          });
          return { status: 'Accepted' };
        },
      },
    });
    assert.equal(station.protocol, 'ocpp2.0.1');

    // The list: the station, its protocol and its EVSEs, their status changing live.
    await page.click(byTestId('nav-chargers'));
    await page.waitForSelector(byTestId('chargers-table'));
    await station.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Voltgate', model: 'Station-201' } });
    for (const evseId of [1, 2]) {
      await station.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId, connectorId: 1 });
    }
    await textOf(`charger-connected-${id}`, (s) => s.trim() === 'online', 'the new station online');
    await textOf(`charger-row-${id}`, (s) => s.includes('ocpp2.0.1') && s.includes('Voltgate Station-201') && s.includes('E1#1') && s.includes('E2#1'), 'its protocol, vendor and EVSEs');
    await textOf(`connector-status-${id}-1-1`, (s) => s.includes('Available'), 'EVSE 1');
    await textOf(`connector-status-${id}-2-1`, (s) => s.includes('Available'), 'EVSE 2');
    // A car plugs in at EVSE 2.
    await station.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Occupied', evseId: 2, connectorId: 1 });
    await textOf(`connector-status-${id}-2-1`, (s) => s.includes('Occupied'), 'the status change on EVSE 2');
    await textOf(`connector-status-${id}-1-1`, (s) => s.includes('Available'), 'EVSE 1 unchanged');
    await screenshot('chargers-201');

    // Remote start on EVSE 2 from the station's page.
    await page.click(byTestId(`charger-row-${id}`));
    await page.waitForSelector(byTestId('charger-page'));
    await textOf('charger-page', (s) => s.includes('ocpp2.0.1'), 'the protocol on the station page');
    await page.waitForSelector(`${byTestId('remote-start-connector')} option[value="2:1"]`, { state: 'attached', timeout: 10_000 });
    // The page picks a first EVSE by itself once it knows them: choose EVSE 2 after that, not before.
    for (const until = Date.now() + 5000; (await page.inputValue(byTestId('remote-start-connector'))) === '' && Date.now() < until; ) await page.waitForTimeout(50);
    await page.fill(byTestId('remote-start-idtag'), 'E2E-TAG');
    await page.selectOption(byTestId('remote-start-connector'), '2:1');
    assert.equal(await page.inputValue(byTestId('remote-start-connector')), '2:1');
    await page.click(byTestId('remote-start'));
    const startResult = await textOf('command-result', (s) => s.includes('Remote start: Accepted'), 'the answer to the remote start');
    const startRequest = asked.find((m) => m.action === 'RequestStartTransaction');
    assert.ok(startRequest, 'the station was sent RequestStartTransaction');
    assert.equal(startRequest.payload.evseId, 2);
    assert.deepEqual(startRequest.payload.idToken, { idToken: 'E2E-TAG', type: 'Central' });
    const remoteStartId = startRequest.payload.remoteStartId;
    assert.ok(Number.isInteger(remoteStartId) && remoteStartId > 0, `remoteStartId ${remoteStartId}`);

    // The TransactionEvent Started with that remoteStartId settles the start request the page was told of, with the session.
    const startRequestId = /start request ([0-9a-f-]{36})/.exec(startResult)?.[1];
    assert.ok(startRequestId, `the start request in "${startResult}"`);
    const startRequestOf = async () => (await (await t.api(`/api/v1/start-requests/${startRequestId}`)).json()) as any;
    for (const until = Date.now() + 5000; (await startRequestOf()).status !== 'Started' && failures.length === 0 && Date.now() < until; ) await page.waitForTimeout(50);
    assert.deepEqual(failures, [], 'what the station sent');
    const settled = await startRequestOf();
    assert.equal(settled.status, 'Started', 'the start request, matched by its remoteStartId');
    assert.equal(startedStatus, 'Accepted', 'the answer to TransactionEvent Started');
    const sessionId: number = settled.transactionId;
    const session = (await (await t.api(`/api/v1/transactions/${sessionId}`)).json()) as any;
    assert.deepEqual([session.chargePointId, session.chargerTransactionId, session.evseId, session.connectorId, session.idTag, session.status], [id, stationTransactionId, 2, 1, 'E2E-TAG', 'Active']);

    // The active session becomes stoppable without reloading the page; the station hears its own transaction id.
    await page.waitForSelector(`${byTestId('remote-stop-transaction')} option[value="${sessionId}"]`, { state: 'attached', timeout: 10_000 });
    const stopChoice = await page.textContent(`${byTestId('remote-stop-transaction')} option[value="${sessionId}"]`);
    assert.match(stopChoice ?? '', /E2#1/, 'the session to stop is named by its EVSE and connector');
    await page.selectOption(byTestId('remote-stop-transaction'), String(sessionId));
    await screenshot('charger-201');
    await page.click(byTestId('remote-stop'));
    await textOf('command-result', (s) => s.includes('Remote stop: Accepted'), 'the answer to the remote stop');
    assert.deepEqual(asked.find((m) => m.action === 'RequestStopTransaction')?.payload, { transactionId: stationTransactionId });
    const completed = async () => ((await (await t.api(`/api/v1/transactions/${sessionId}`)).json()) as any).status === 'Completed';
    for (const until = Date.now() + 5000; !(await completed()) && failures.length === 0 && Date.now() < until; ) await page.waitForTimeout(50);
    assert.deepEqual(failures, [], 'what the station sent');
    const stored = (await (await t.api(`/api/v1/transactions/${sessionId}`)).json()) as any;
    assert.deepEqual([stored.status, stored.stopReason, stored.meterStartWh, stored.meterStopWh, stored.energyWh], ['Completed', 'Remote', 1000, wh + 5, wh + 5 - 1000]);
    await textOf(`connector-status-${id}-2-1`, (s) => s.includes('Available'), 'EVSE 2 free again, live on the station page');

    // The session in the sessions table, in the same words as a 1.6 charger's, and its page with the station's id.
    await page.click(byTestId('nav-sessions'));
    await page.waitForSelector(byTestId('sessions-table'));
    await textOf(`session-row-${sessionId}`, (s) => s.includes(id) && s.includes('E2#1') && s.includes('E2E-TAG') && s.includes('Completed'), 'the session in the table, on EVSE 2');
    await screenshot('sessions-201');
    await page.click(byTestId(`session-row-${sessionId}`));
    await page.waitForSelector(`${byTestId('session-chart')} canvas`);
    await textOf('session-page', (s) => s.includes(stationTransactionId) && s.includes('EVSE'), 'the station’s transaction id and EVSE on the session page');
    await screenshot('session-201');
  });

  it('issue 11: a SOAP 1.6 charger shows as ocpp1.6s, online while heard from; remote start and stop from its page reach its own service; its session shows as any other', async () => {
    const id = 'CP-E2E-SOAP';
    const service = `${t.httpUrl}/soap/ocpp16`;
    const minute = (m: number) => new Date(Date.now() + (m - 10) * 60_000).toISOString();
    const failures: string[] = [];
    const later = (step: () => Promise<void>) => setTimeout(() => step().catch((error: unknown) => failures.push(String(error))), 50);
    let ownService = '';
    /** One request of the charger, its envelope written by hand, its own service as wsa:From; a fault fails the test. */
    const send = async (action: string, body: string) => {
      const answer = await soap16From(service, id, ownService, action, body);
      if (answer.status !== 200) throw new Error(`${action} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    const status = (value: string) => send('StatusNotification', `<cs:statusNotificationRequest><cs:connectorId>1</cs:connectorId><cs:status>${value}</cs:status><cs:errorCode>NoError</cs:errorCode></cs:statusNotificationRequest>`);
    let transactionId = 0;
    let wh = 3000;
    // The charger's own ChargePointService: it accepts, answers in its envelope, then does what it was asked.
    const station = await SoapStation.start((call) => {
      const start = call.body.remoteStartTransactionRequest;
      if (start) {
        later(async () => {
          const answer = await send('StartTransaction', `<cs:startTransactionRequest><cs:connectorId>${start.connectorId}</cs:connectorId><cs:idTag>${start.idTag}</cs:idTag><cs:timestamp>${minute(0)}</cs:timestamp><cs:meterStart>${wh}</cs:meterStart></cs:startTransactionRequest>`);
          transactionId = Number(answer.startTransactionResponse.transactionId);
          await status('Charging');
          for (const [i, w] of [7200, 11000, 10800, 9500, 3200].entries()) {
            wh += Math.round(w / 60);
            await send(
              'MeterValues',
              `<cs:meterValuesRequest><cs:connectorId>1</cs:connectorId><cs:transactionId>${transactionId}</cs:transactionId><cs:meterValue><cs:timestamp>${minute(i + 1)}</cs:timestamp>` +
                `<cs:sampledValue><cs:value>${wh}</cs:value><cs:measurand>Energy.Active.Import.Register</cs:measurand><cs:unit>Wh</cs:unit></cs:sampledValue>` +
                `<cs:sampledValue><cs:value>${w}</cs:value><cs:measurand>Power.Active.Import</cs:measurand><cs:unit>W</cs:unit></cs:sampledValue></cs:meterValue></cs:meterValuesRequest>`,
            );
          }
        });
        return cpAnswer16(call, '<cp:remoteStartTransactionResponse><cp:status>Accepted</cp:status></cp:remoteStartTransactionResponse>');
      }
      const stop = call.body.remoteStopTransactionRequest;
      if (stop) {
        later(async () => {
          await send('StopTransaction', `<cs:stopTransactionRequest><cs:transactionId>${stop.transactionId}</cs:transactionId><cs:timestamp>${new Date().toISOString()}</cs:timestamp><cs:meterStop>${wh + 5}</cs:meterStop><cs:reason>Remote</cs:reason></cs:stopTransactionRequest>`);
          await status('Available');
        });
        return cpAnswer16(call, '<cp:remoteStopTransactionResponse><cp:status>Accepted</cp:status></cp:remoteStopTransactionResponse>');
      }
      return { status: 500, text: 'unexpected call' };
    });
    after(() => station.close());

    // The list: the charger appears when it boots (announcing its own service), with its protocol, online.
    await page.click(byTestId('nav-chargers'));
    await page.waitForSelector(byTestId('chargers-table'));
    ownService = station.url;
    await send('BootNotification', '<cs:bootNotificationRequest><cs:chargePointVendor>Voltgate</cs:chargePointVendor><cs:chargePointModel>Soap-16</cs:chargePointModel></cs:bootNotificationRequest>');
    await status('Available');
    await textOf(`charger-connected-${id}`, (s) => s.trim() === 'online', 'the SOAP charger online');
    await textOf(`charger-row-${id}`, (s) => s.includes('ocpp1.6s') && s.includes('Voltgate Soap-16'), 'its protocol and model');
    await textOf(`connector-status-${id}-1`, (s) => s.includes('Available'), 'its connector');
    await screenshot('chargers-soap');

    // Remote start from its page: the REST command goes to its ChargePointService, and the session it starts shows live.
    await page.click(byTestId(`charger-row-${id}`));
    await page.waitForSelector(byTestId('charger-page'));
    await textOf('charger-page', (s) => s.includes('ocpp1.6s'), 'the protocol on the charger page');
    await page.fill(byTestId('remote-start-idtag'), 'E2E-TAG');
    await page.selectOption(byTestId('remote-start-connector'), '1');
    await page.click(byTestId('remote-start'));
    await textOf('command-result', (s) => s.includes('Accepted'), 'the answer to the remote start');
    for (const until = Date.now() + 5000; transactionId === 0 && failures.length === 0 && Date.now() < until; ) await page.waitForTimeout(50);
    assert.deepEqual(failures, [], 'what the charger sent');
    assert.ok(transactionId > 0, 'the charger started the session');
    await textOf(`connector-status-${id}-1`, (s) => s.includes('Charging'), 'the connector charging, live');
    await page.waitForSelector(`${byTestId('remote-stop-transaction')} option[value="${transactionId}"]`, { state: 'attached', timeout: 10_000 });
    await page.selectOption(byTestId('remote-stop-transaction'), String(transactionId));
    await screenshot('charger-soap');
    await page.click(byTestId('remote-stop'));
    await textOf('command-result', (s) => s.includes('Accepted'), 'the answer to the remote stop');
    const stored = async () => (await (await t.api(`/api/v1/transactions/${transactionId}`)).json()) as any;
    for (const until = Date.now() + 5000; (await stored()).status !== 'Completed' && failures.length === 0 && Date.now() < until; ) await page.waitForTimeout(50);
    assert.deepEqual(failures, [], 'what the charger sent');
    const session = await stored();
    assert.deepEqual([session.chargePointId, session.idTag, session.status, session.stopReason, session.meterStartWh, session.energyWh], [id, 'E2E-TAG', 'Completed', 'Remote', 3000, wh + 5 - 3000]);
    await textOf(`connector-status-${id}-1`, (s) => s.includes('Available'), 'the connector free again, live');

    // The session in the sessions table and on its own page, in the same words as a JSON charger's.
    await page.click(byTestId('nav-sessions'));
    await page.waitForSelector(byTestId('sessions-table'));
    await textOf(`session-row-${transactionId}`, (s) => s.includes(id) && s.includes('E2E-TAG') && s.includes('Completed'), 'the session in the table');
    await page.click(byTestId(`session-row-${transactionId}`));
    await page.waitForSelector(`${byTestId('session-chart')} canvas`);
    await screenshot('session-soap');
  });

  it("a charger's security events show on its page, newest first, and a new one appears live", async () => {
    const id = 'CP-E2E-SEC';
    const cp = await t.charger(id);
    await cp.call('BootNotification', bootPayload);
    // Sent before the page opens: the section loads it from the REST list.
    await cp.call('SecurityEventNotification', { type: 'FirmwareUpdated', timestamp: new Date(Date.now() - 60_000).toISOString(), techInfo: 'v2.1.0' });

    await page.click(byTestId('nav-chargers'));
    await page.click(byTestId(`charger-row-${id}`));
    await page.waitForSelector(byTestId('charger-page'));
    await textOf('security-events', (s) => s.includes('FirmwareUpdated') && s.includes('v2.1.0') && s.includes('Charger'), 'the event sent before the page opened');

    // Sent while the page is open: it must come through the live feed, the page never reloading.
    await page.evaluate(() => {
      (globalThis as { e2eSamePage?: boolean }).e2eSamePage = true;
    });
    await cp.call('SecurityEventNotification', { type: 'SettingSystemTime', timestamp: new Date().toISOString() });
    await textOf('security-events', (s) => s.includes('SettingSystemTime'), 'the event sent while the page was open');
    assert.equal(await page.evaluate(() => (globalThis as { e2eSamePage?: boolean }).e2eSamePage), true, 'the page was not reloaded');
    const rows = await page.$$eval(`${byTestId('security-events')} tbody tr`, (trs) => trs.map((tr) => tr.textContent ?? ''));
    assert.equal(rows.length, 2);
    assert.match(rows[0], /SettingSystemTime/, 'newest first');
    assert.match(rows[1], /FirmwareUpdated/);
    await screenshot('charger-security-events');
    cp.close();
  });

  it('imports ID tags from a CSV with a progress indicator, and lists the lines it refused', async () => {
    await page.click(byTestId('nav-id-tags'));
    const good = ['idTag,status,expiryDate,parentIdTag,label', 'E2E-CARD-1,Accepted,,,Fleet card 1', 'E2E-CARD-2,Blocked,,,Fleet card 2'].join('\n');
    await page.setInputFiles(byTestId('idtag-import-file'), { name: 'tags.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.click(byTestId('idtag-import'));
    await textOf('idtag-import-result', (s) => s.includes('2'), 'the import result');
    await page.waitForSelector(byTestId('idtag-row-E2E-CARD-1'));
    const tag = (await (await t.api('/api/v1/id-tags/E2E-CARD-2')).json()) as any;
    assert.equal(tag.status, 'Blocked');

    const bad = ['idTag,status,expiryDate,parentIdTag,label', 'E2E-CARD-3,Accepted,,,ok', 'E2E-CARD-4,Sometimes,,,bad status'].join('\n');
    await page.setInputFiles(byTestId('idtag-import-file'), { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.click(byTestId('idtag-import'));
    await textOf('idtag-import-errors', (s) => s.includes('3'), 'the refused line, by number');
    assert.equal((await t.api('/api/v1/id-tags/E2E-CARD-3')).status, 404, 'all or nothing: the good line of a refused file is not imported');
    await page.waitForSelector(byTestId('idtag-import-progress'), { state: 'attached' });
    await screenshot('id-tags');
  });

  it('the statistics, webhooks and authorization log pages render from the API', async () => {
    await page.click(byTestId('nav-statistics'));
    await page.waitForSelector(byTestId('statistics-page'));
    await screenshot('statistics');
    await page.click(byTestId('nav-webhooks'));
    await page.waitForSelector(byTestId('webhooks-page'));
    await screenshot('webhooks');
    await page.click(byTestId('nav-authorizations'));
    await page.waitForSelector(byTestId('authorizations-table'));
    await textOf('authorizations-table', (s) => s.includes('E2E-TAG'), 'the remote start decision');
    await screenshot('authorizations');
  });

  it('on a phone screen the pages stay usable', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    // The menu collapses behind a button on a narrow screen.
    if (await page.isVisible(byTestId('nav-toggle'))) await page.click(byTestId('nav-toggle'));
    await page.click(byTestId('nav-chargers'));
    await page.waitForSelector(byTestId('chargers-table'));
    await screenshot('chargers-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('says clearly when the server cannot be reached', async () => {
    await page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
    await page.click(byTestId('nav-sessions')).catch(() => undefined);
    await page.waitForSelector(byTestId('server-unreachable'), { timeout: 15_000 });
    await screenshot('unreachable');
    await page.unroute('**/api/v1/**');
  });
});
