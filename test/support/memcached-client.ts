import { Socket } from 'node:net';

/**
 * Sends memcached text-protocol lines over one connection and returns everything the server
 * answered once `until` matches it (e.g. /END\r\n$/ after a get).
 */
export async function memcachedSession(
  host: string,
  port: number,
  request: string,
  until: RegExp,
): Promise<string> {
  const socket = new Socket();
  await new Promise<void>((resolve, reject) => {
    // An address nobody answers on any more would otherwise wait for TCP's own timeout.
    const timer = setTimeout(() => reject(new Error(`no connection to ${host}:${port}`)), 3000);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.connect(port, host, () => {
      clearTimeout(timer);
      resolve();
    });
  });
  try {
    return await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`no full answer: ${text}`)), 5000);
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (until.test(text)) {
          clearTimeout(timer);
          resolve(text);
        }
      });
      socket.write(request);
    });
  } finally {
    socket.destroy();
  }
}
