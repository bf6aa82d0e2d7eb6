import { Socket } from 'node:net';

/**
 * Sends Redis commands (RESP) over one TCP connection and returns each reply's first line:
 * enough to check AUTH, PING, SET/GET and CONFIG GET without a Redis client library.
 */
export async function redisCommands(
  host: string,
  port: number,
  commands: string[][],
): Promise<string[]> {
  const socket = new Socket();
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, host, () => resolve());
  });
  try {
    let buffer = '';
    const replies: string[] = [];
    for (const args of commands) {
      socket.write(
        `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
      );
      const reply = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to ${args[0]}`)), 5000);
        const onData = (chunk: Buffer): void => {
          buffer += chunk.toString('utf8');
          const complete = completeReply(buffer);
          if (complete === null) return;
          clearTimeout(timer);
          socket.off('data', onData);
          buffer = buffer.slice(complete.length);
          resolve(complete.text);
        };
        socket.on('data', onData);
        onData(Buffer.alloc(0));
      });
      replies.push(reply);
    }
    return replies;
  } finally {
    socket.destroy();
  }
}

/** One whole reply at the start of `buf` (simple, error, integer, bulk, or an array of bulks). */
function completeReply(buf: string): { text: string; length: number } | null {
  const eol = buf.indexOf('\r\n');
  if (eol < 0) return null;
  const head = buf.slice(0, eol);
  if (head[0] === '$') {
    const n = Number(head.slice(1));
    if (n < 0) return { text: '(nil)', length: eol + 2 };
    if (buf.length < eol + 2 + n + 2) return null;
    return { text: buf.slice(eol + 2, eol + 2 + n), length: eol + 2 + n + 2 };
  }
  if (head[0] === '*') {
    let offset = eol + 2;
    const items: string[] = [];
    for (let i = 0; i < Number(head.slice(1)); i++) {
      const item = completeReply(buf.slice(offset));
      if (!item) return null;
      items.push(item.text);
      offset += item.length;
    }
    return { text: items.join(' '), length: offset };
  }
  return { text: head, length: eol + 2 };
}
