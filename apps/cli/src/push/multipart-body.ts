import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

/**
 * A multipart/form-data body streamed from disk, reporting bytes as they leave: text fields,
 * then at most one file. Nothing is held in memory but the current chunk.
 */
export async function multipartBody(
  fields: Record<string, string>,
  file: { field: string; path: string; filename: string } | null,
  onProgress: (sent: number, total: number) => void,
): Promise<{ contentType: string; stream: ReadableStream<Uint8Array>; totalBytes: number }> {
  const boundary = `----wharf${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    ),
  );
  const fileHead = file
    ? Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      )
    : Buffer.alloc(0);
  const fileSize = file ? (await stat(file.path)).size : 0;
  const tail = Buffer.from(`${file ? '\r\n' : ''}--${boundary}--\r\n`);
  const total = parts.reduce((n, p) => n + p.length, 0) + fileHead.length + fileSize + tail.length;
  let sent = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const p of [...parts, fileHead]) {
      sent += p.length;
      yield p;
    }
    if (file) {
      for await (const c of createReadStream(file.path, { highWaterMark: 256 * 1024 })) {
        const chunk = c as Buffer;
        sent += chunk.length;
        onProgress(sent, total);
        yield chunk;
      }
    }
    sent += tail.length;
    onProgress(sent, total);
    yield tail;
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    stream: Readable.toWeb(Readable.from(chunks())) as ReadableStream<Uint8Array>,
    totalBytes: total,
  };
}
