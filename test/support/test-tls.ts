import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files of a throwaway CA and the server and client certificates it signed. */
export interface TestTlsFiles {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

const CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = wharf-test
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
`;

/**
 * Writes into `dir` a CA and, signed by it, a server certificate for 127.0.0.1/localhost and a
 * client certificate, as a Docker engine's `--tlsverify` and its clients use them. EC P-256
 * keys, valid for two days; made with the host's openssl.
 */
export function createTestTls(dir: string): TestTlsFiles {
  const config = join(dir, 'openssl.cnf');
  writeFileSync(config, CONFIG);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const file = (name: string) => join(dir, name);
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  openssl(
    'req',
    '-config',
    config,
    '-x509',
    ...newKey,
    '-keyout',
    file('ca-key.pem'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=wharf-test-ca',
    '-extensions',
    'ca',
  );
  for (const role of ['server', 'client']) {
    openssl(
      'req',
      '-config',
      config,
      '-new',
      ...newKey,
      '-keyout',
      file(`${role}-key.pem`),
      '-out',
      file(`${role}.csr`),
      '-subj',
      `/CN=wharf-test-${role}`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      file(`${role}.csr`),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca-key.pem'),
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      '2',
      '-extfile',
      config,
      '-extensions',
      role,
      '-out',
      file(`${role}-cert.pem`),
    );
  }
  return {
    caCert: file('ca.pem'),
    serverCert: file('server-cert.pem'),
    serverKey: file('server-key.pem'),
    clientCert: file('client-cert.pem'),
    clientKey: file('client-key.pem'),
  };
}

/** The client side of `files` as PEM text, the shape a cell stores. */
export function clientTls(files: TestTlsFiles): { ca: string; cert: string; key: string } {
  return {
    ca: readFileSync(files.caCert, 'utf8'),
    cert: readFileSync(files.clientCert, 'utf8'),
    key: readFileSync(files.clientKey, 'utf8'),
  };
}
