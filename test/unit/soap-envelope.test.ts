// SOAP 1.2 envelopes of OCPP 1.5/1.6, pure: addressing headers read, names checked against their namespaces, and
// the faults the SOAP, WS-Addressing and OCPP specifications name (CONFORMANCE 81, 82). Envelopes written by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { faultEnvelope, readRequest, responseEnvelope, SoapFault, SOAP12_NS } from '../../src/ocpp/soap/envelope.js';

const CS16 = 'urn://Ocpp/Cs/2015/10/';

function request(options: { header?: string; body?: string; envelopeNs?: string; prolog?: string } = {}): string {
  const header =
    options.header ??
    `<cs:chargeBoxIdentity>CP-SOAP-1</cs:chargeBoxIdentity>
     <wsa:Action>/Authorize</wsa:Action>
     <wsa:MessageID>urn:uuid:5f1c2a7e-0b4d-4c55-9d8e-1a2b3c4d5e6f</wsa:MessageID>
     <wsa:To>http://csms.example/soap/ocpp16</wsa:To>
     <wsa:From><wsa:Address>http://10.0.0.5:8080/ocpp</wsa:Address></wsa:From>
     <wsa:ReplyTo><wsa:Address>http://www.w3.org/2005/08/addressing/anonymous</wsa:Address></wsa:ReplyTo>`;
  const body = options.body ?? '<cs:authorizeRequest><cs:idTag>TAG-1</cs:idTag></cs:authorizeRequest>';
  return `${options.prolog ?? '<?xml version="1.0" encoding="UTF-8"?>'}
<soap:Envelope xmlns:soap="${options.envelopeNs ?? SOAP12_NS}" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:cs="${CS16}">
  <soap:Header>${header}</soap:Header>
  <soap:Body>${body}</soap:Body>
</soap:Envelope>`;
}

function fault(text: string): SoapFault {
  try {
    readRequest(text, CS16);
  } catch (error) {
    if (error instanceof SoapFault) return error;
    throw error;
  }
  assert.fail('expected a SOAP fault');
}

describe('SOAP 1.2 envelopes', () => {
  it('a request gives its charger, addressing and body element, without prefixes', () => {
    const read = readRequest(request(), CS16);
    assert.deepEqual(read, {
      chargeBoxIdentity: 'CP-SOAP-1',
      messageId: 'urn:uuid:5f1c2a7e-0b4d-4c55-9d8e-1a2b3c4d5e6f',
      action: '/Authorize',
      to: 'http://csms.example/soap/ocpp16',
      from: 'http://10.0.0.5:8080/ocpp',
      replyTo: 'http://www.w3.org/2005/08/addressing/anonymous',
      element: 'authorizeRequest',
      body: { idTag: 'TAG-1' },
    });
  });

  it('namespaces are resolved, not guessed from prefixes: a default namespace on the body element reads the same', () => {
    const read = readRequest(request({ body: `<authorizeRequest xmlns="${CS16}"><idTag>TAG-2</idTag></authorizeRequest>` }), CS16);
    assert.deepEqual([read.element, read.body], ['authorizeRequest', { idTag: 'TAG-2' }]);
  });

  it('CONFORMANCE 81: a missing WS-Addressing header is a MessageAddressingHeaderRequired fault naming it; a missing chargeBoxIdentity a ProtocolError', () => {
    const noAction = fault(request({ header: '<cs:chargeBoxIdentity>CP</cs:chargeBoxIdentity><wsa:MessageID>m1</wsa:MessageID>' }));
    assert.deepEqual([noAction.code, noAction.subcode, noAction.problemHeader], ['Sender', { namespace: 'wsa', name: 'MessageAddressingHeaderRequired' }, 'wsa:Action']);
    const noIdentity = fault(request({ header: '<wsa:Action>/Authorize</wsa:Action><wsa:MessageID>m1</wsa:MessageID>' }));
    assert.deepEqual([noIdentity.code, noIdentity.subcode.name], ['Sender', 'ProtocolError']);
    assert.match(noIdentity.message, /chargeBoxIdentity/);
  });

  it('CONFORMANCE 82: a DTD, entity expansion or an external entity is refused before anything is parsed', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>`;
    assert.match(fault(request({ prolog: laughs, body: '<cs:authorizeRequest><cs:idTag>&lol2;</cs:idTag></cs:authorizeRequest>' })).message, /document type declaration/);
    const external = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`;
    assert.match(fault(request({ prolog: external, body: '<cs:authorizeRequest><cs:idTag>&xxe;</cs:idTag></cs:authorizeRequest>' })).message, /document type declaration/);
  });

  it('XML that does not parse, a SOAP 1.1 envelope, or a message of another service are ProtocolError faults', () => {
    assert.match(fault('<soap:Envelope><soap:Body>').message, /not well-formed/);
    assert.match(fault(request({ envelopeNs: 'http://schemas.xmlsoap.org/soap/envelope/' })).message, /not a SOAP 1\.2 envelope/);
    const v15 = request({ body: '<authorizeRequest xmlns="urn://Ocpp/Cs/2012/06/"><idTag>T</idTag></authorizeRequest>' });
    assert.match(fault(v15).message, /not a message of this service/);
    const mixed = request({ body: `<cs:authorizeRequest><idTag xmlns="urn://other">T</idTag></cs:authorizeRequest>` });
    assert.match(fault(mixed).message, /not in the namespace/);
  });

  it('answers and faults are SOAP 1.2 envelopes related to the request', () => {
    const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true });
    const answer = parser.parse(responseEnvelope({ serviceNs: CS16, action: '/AuthorizeResponse', relatesTo: 'm1', messageId: 'm2', body: '<ocpp:authorizeResponse/>' }));
    assert.deepEqual(answer.Envelope.Header, { Action: '/AuthorizeResponse', MessageID: 'm2', RelatesTo: 'm1' });
    const text = faultEnvelope(new SoapFault('Sender', { namespace: 'wsa', name: 'MessageAddressingHeaderRequired' }, 'a required header is missing: wsa:Action', 'wsa:Action'), CS16, null);
    const parsed = parser.parse(text).Envelope.Body.Fault;
    assert.deepEqual(parsed.Code, { Value: 's:Sender', Subcode: { Value: 'wsa:MessageAddressingHeaderRequired' } });
    assert.equal(parsed.Detail.ProblemHeaderQName, 'wsa:Action');
  });
});
