import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { Header, Parser, type ReadEntry } from 'tar';

/**
 * memcached's auth file (`-Y`): one `user:password` line per user. memcached reads lines of at
 * most 255 bytes and splits each at its first ':', so a user or password is one word without ':',
 * whitespace or anything a line could be broken with.
 */
const WORD = /^[A-Za-z0-9._-]+$/;
const MAX_LINE = 254;

/**
 * Who is to own the file, as ids inside the container (the engine maps them when it runs with user
 * namespaces; the ids in what getArchive sends may be the host's, so they are not copied back).
 */
export interface FileOwner {
  uid: number;
  gid: number;
}

/** The file's text with `user` (and only it) set to `password`. */
export function withUser(text: string, user: string, password: string): string {
  if (!WORD.test(user) || !WORD.test(password))
    throw new Error(`not a memcached user name or password: ${JSON.stringify(user)}`);
  if (user.length + 1 + password.length > MAX_LINE)
    throw new Error(`the memcached user ${user} and its password do not fit on one line`);
  return `${withoutUser(text, user)}${user}:${password}\n`;
}

/** The file's text without the lines of `user`; every other line as it was. */
export function withoutUser(text: string, user: string): string {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith(`${user}:`))
    .map((line) => `${line}\n`)
    .join('');
}

/** The text of the file `name` in a tar archive (as the engine's getArchive sends one). */
export async function fileFromTar(
  archive: AsyncIterable<Buffer> | Iterable<Buffer>,
  name: string,
): Promise<string | null> {
  const parser = new Parser();
  let found: Promise<string> | null = null;
  parser.on('entry', (entry: ReadEntry) => {
    if (!found && entry.type === 'File' && basename(entry.path) === name)
      found = entry.concat().then((data) => Buffer.from(data).toString('utf8'));
    else entry.resume();
  });
  const ended = new Promise<void>((resolve, reject) => {
    parser.on('end', () => resolve());
    parser.on('error', reject);
  });
  for await (const chunk of archive) parser.write(chunk);
  parser.end();
  await ended;
  return found;
}

/**
 * A tar archive of one file, `name`, readable by its owner alone (it holds passwords): what the
 * engine's putArchive extracts, owner and mode as given.
 */
export function tarOfFile(name: string, text: string, owner: FileOwner): Readable {
  const body = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(512);
  new Header({
    path: name,
    type: 'File',
    mode: 0o600,
    uid: owner.uid,
    gid: owner.gid,
    size: body.length,
    mtime: new Date(),
  }).encode(header, 0);
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512);
  // Two empty blocks end the archive.
  return Readable.from([Buffer.concat([header, body, padding, Buffer.alloc(1024)])]);
}
