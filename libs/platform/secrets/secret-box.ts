import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Encryption at rest for secrets kept in the database (service credentials): AES-256-GCM with a
 * random 96-bit nonce per value, so equal values never look equal, and an auth tag, so a value
 * changed in the database fails to open instead of yielding garbage. Sealed form:
 * `v1.<nonce>.<tag>.<ciphertext>` (base64url). The 256-bit key is derived with HKDF-SHA256 from
 * the configured secret.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string, label = 'wharf secrets at rest') {
    if (secret.length < 32) throw new Error('SecretBox needs a secret of at least 32 characters');
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), label, 32));
  }

  seal(plain: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, nonce, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [version, nonce, tag, body] = sealed.split('.');
    if (version !== VERSION || nonce === undefined || tag === undefined || body === undefined)
      throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(nonce, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }

  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: string): T {
    return JSON.parse(this.open(sealed)) as T;
  }
}
