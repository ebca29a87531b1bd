import dgram from 'node:dgram';

export { freeTcpPort } from '../../src/cluster/embedded/free-tcp-port.js';

/** A UDP port on `host` that was free a moment ago. */
export async function freeUdpPort(host: string): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, resolve);
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
