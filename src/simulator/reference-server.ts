// The bench's reference (`voltgate bench --reference`): a bare `ws` server that answers every CALL at once with
// a fixed CALLRESULT for its action, with no validation, no storage and no logic. What Voltgate reaches against
// it, on the same machine in the same run, says how much of the machine the CSMS itself costs.
// Run as a program: it prints {"reference": "ws://127.0.0.1:PORT"} once it listens.
import { WebSocketServer } from 'ws';

const BOOT = { status: 'Accepted', currentTime: '2026-01-01T00:00:00.000Z', interval: 300 };

/** One answer per action and version: the smallest CALLRESULT payload the official schema accepts. */
const ANSWERS: Record<string, Record<string, unknown>> = {
  'ocpp1.6': {
    BootNotification: BOOT,
    Heartbeat: { currentTime: BOOT.currentTime },
    Authorize: { idTagInfo: { status: 'Accepted' } },
    StartTransaction: { transactionId: 1, idTagInfo: { status: 'Accepted' } },
    StopTransaction: {},
    MeterValues: {},
    StatusNotification: {},
  },
  'ocpp2.0.1': {
    BootNotification: BOOT,
    Heartbeat: { currentTime: BOOT.currentTime },
    Authorize: { idTokenInfo: { status: 'Accepted' } },
    TransactionEvent: {},
    StatusNotification: {},
  },
};

const answersFor = (protocol: string) => Object.fromEntries(Object.entries(ANSWERS[protocol] ?? ANSWERS['ocpp1.6']).map(([action, payload]) => [action, JSON.stringify(payload)]));
const byProtocol = new Map(Object.keys(ANSWERS).map((protocol) => [protocol, answersFor(protocol)]));

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  handleProtocols: (offered) => [...offered].find((protocol) => byProtocol.has(protocol)) ?? false,
});
server.on('connection', (socket) => {
  const answers = byProtocol.get(socket.protocol) ?? byProtocol.get('ocpp1.6')!;
  socket.on('message', (data) => {
    const [, id, action] = JSON.parse(data.toString()) as [number, string, string];
    socket.send(`[3,${JSON.stringify(id)},${answers[action] ?? '{}'}]`);
  });
});
server.on('listening', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ reference: `ws://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
