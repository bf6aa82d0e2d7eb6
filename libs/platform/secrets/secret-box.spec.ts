import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('k'.repeat(40));

  it('opens what it sealed, and never seals a value the same way twice', () => {
    const a = box.sealJson({ password: 's3cret' });
    const b = box.sealJson({ password: 's3cret' });
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cret');
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(box.openJson(a)).toEqual({ password: 's3cret' });
  });

  it('refuses a value changed at rest and one sealed under another key', () => {
    const sealed = box.seal('hello');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(() =>
      box.open([parts[0], parts[1], parts[2], body.toString('base64url')].join('.')),
    ).toThrow();
    expect(() => new SecretBox('z'.repeat(40)).open(sealed)).toThrow();
    expect(() => box.open('plain text')).toThrow('not a sealed value');
  });
});
