// WebSocket upgrades under /ocpp/ go to the OCPP endpoint; anything else is refused before a socket opens.
import type { Server } from 'node:http';
import type { Server as TlsServer } from 'node:https';
import type { Logger } from 'pino';
import type { RpcServer } from '../ocpp/rpc/server.js';

export function routeUpgrades(server: Server | TlsServer, rpc: RpcServer, logger: Logger): void {
  server.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith('/ocpp/')) {
      rpc.handleUpgrade(req, socket, head);
      return;
    }
    logger.debug({ url: req.url }, 'upgrade refused: not an OCPP path');
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
}
