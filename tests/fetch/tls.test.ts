import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import type { RequestEvent } from '../../src/fetch/index.js';
import { fetchError, testClient } from './support.js';

const OPENSSL = '/usr/bin/openssl';
let hasOpenssl = true;
try {
  execFileSync(OPENSSL, ['version'], { stdio: 'ignore' });
} catch {
  hasOpenssl = false;
}

let dir: string;
let good: ReplayPortal;
let wrongName: ReplayPortal;

/** A private CA and a leaf it signed, as a portal whose intermediate is missing from the chain looks to Node. */
function makeCertificates(): { caFile: string; leaf: { key: Buffer; cert: Buffer }; other: { key: Buffer; cert: Buffer } } {
  const run = (...args: string[]): void => void execFileSync(OPENSSL, args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=portalfeed test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const leaf = (name: string, san: string): { key: Buffer; cert: Buffer } => {
    writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\n`);
    run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
    return { key: readFileSync(path.join(dir, `${name}.key`)), cert: readFileSync(path.join(dir, `${name}.pem`)) };
  };
  return {
    caFile: path.join(dir, 'ca.pem'),
    leaf: leaf('leaf', 'IP:127.0.0.1,DNS:localhost'),
    other: leaf('other', 'DNS:www.quangtri.gov.vn'),
  };
}

let caFile = '';

describe.skipIf(!hasOpenssl)('TLS options', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pf-tls-'));
    const certs = makeCertificates();
    caFile = certs.caFile;
    const routes = { '/tin-tuc': { body: '<h1>Cổng TTĐT</h1>' } };
    good = await startReplayPortal({ routes, robots: null, tls: certs.leaf });
    wrongName = await startReplayPortal({ routes, robots: null, tls: certs.other });
  });
  afterAll(async () => {
    await Promise.all([good?.close(), wrongName?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is strict by default: robots.txt fails on TLS, the page is never requested and the error is FETCH_TLS', async () => {
    const events: RequestEvent[] = [];
    const { client } = testClient({ retries: 2, onRequest: (e) => events.push(e) });
    const err = await fetchError(client.get({ url: `${good.url}/tin-tuc` }));
    expect(err.code).toBe('FETCH_TLS');
    expect(err.cause).toMatchObject({ code: 'FETCH_TLS' });
    expect(err.message).toMatch(/is unreachable \(robots\.txt: /);
    expect(good.count()).toBe(0);
    expect(events.map((e) => [e.robots, e.errorKind])).toEqual([[true, 'tls']]);
    await client.close();
  });

  it('a strict client without robots gets FETCH_TLS for the page itself, once', async () => {
    const events: RequestEvent[] = [];
    const { client } = testClient({ retries: 2, respectRobots: false, onRequest: (e) => events.push(e) });
    const err = await fetchError(client.get({ url: `${good.url}/tin-tuc` }));
    expect(err.code).toBe('FETCH_TLS');
    expect((err.cause as { code?: string }).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(events).toHaveLength(1);
    await client.close();
  });

  it('trusts a CA added with `ca`, on top of the default roots', async () => {
    const { client } = testClient({ ca: caFile });
    const res = await client.get({ url: `${good.url}/tin-tuc` });
    expect(res.text).toBe('<h1>Cổng TTĐT</h1>');
    await client.close();
  });

  it('still checks the host name with `ca`', async () => {
    const { client } = testClient({ ca: caFile, respectRobots: false });
    const err = await fetchError(client.get({ url: `${wrongName.url}/tin-tuc` }));
    expect(err.code).toBe('FETCH_TLS');
    expect((err.cause as { code?: string }).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    await client.close();
  });

  it('insecureTLS accepts any certificate, for this client only', async () => {
    const { client: insecure } = testClient({ insecureTLS: true });
    const { client: strict } = testClient({ respectRobots: false });
    expect((await insecure.get({ url: `${wrongName.url}/tin-tuc` })).status).toBe(200);
    expect((await fetchError(strict.get({ url: `${wrongName.url}/tin-tuc` }))).code).toBe('FETCH_TLS');
    await Promise.all([insecure.close(), strict.close()]);
  });

  it('a missing CA file is a configuration error', () => {
    expect(() => testClient({ ca: path.join(dir, 'missing.pem') })).toThrow(ConfigError);
  });
});
