import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishTargetConfig } from '../../shared/api/contract';
import { createPublishingTeam, type Office } from '../support/review-api';
import { withSiteIdentifiers } from '../support/site-identifiers';
import { loadTestServers, type TestServers } from '../support/test-servers';

const loaded = await loadTestServers();
if ('skip' in loaded) console.warn(`[skip] connection test against the real servers: ${loaded.skip}`);
const servers = 'servers' in loaded ? loaded.servers : null;

/** A self-signed certificate for 127.0.0.1 (as a site whose HTTPS nobody set up properly would have), or null without openssl. */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } | null {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], {
      stdio: 'ignore',
    });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    return null;
  }
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('测试连接 (targets:test)', () => {
  let office: Office;
  let page: Server;
  let pageUrl: string;

  beforeAll(async () => {
    office = await createPublishingTeam();
    // An ordinary web site that is not WordPress: every address answers with a page.
    page = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>开发区门户</body></html>'));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await office?.close();
    await new Promise<void>((resolve) => page?.close(() => resolve()));
  });

  const wp = (baseUrl: string, user = 'editor'): PublishTargetConfig => ({
    id: 'wp',
    kind: 'wordpress',
    label: 'WordPress 网站',
    credentialName: '',
    baseUrl,
    user,
    categoryMap: {},
    skipColumns: ['首页'],
    postStatus: 'publish',
    withdrawMode: 'draft',
    slugPattern: '',
    allowPlainHttp: false,
  });

  it('says the address cannot be reached when nothing listens there, within the time limit', async () => {
    const started = Date.now();
    const result = await office.value('admin', 'targets:test', { target: wp(`http://127.0.0.1:${await closedPort()}`), secret: 'x' });
    expect(result).toMatchObject({ ok: false, outcome: 'unreachable' });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('says a site that answers with ordinary pages is not WordPress', async () => {
    const result = await office.value('admin', 'targets:test', { target: wp(pageUrl), secret: 'x' });
    expect(result).toMatchObject({ ok: false, outcome: 'not_wordpress' });
  });

  it('says the certificate is invalid when the HTTPS site presents one this desktop does not trust', async (context) => {
    const certificate = selfSignedCertificate();
    if (!certificate) context.skip();
    const server = createHttpsServer(certificate ?? {}, (_request, response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"name":"x"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const result = await office.value('admin', 'targets:test', { target: wp(`https://127.0.0.1:${(server.address() as AddressInfo).port}`), secret: 'x' });
      expect(result).toMatchObject({ ok: false, outcome: 'certificate' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('lets only publishers and admins test, refuses a folder target, and never sends a password over plain http to another machine', async () => {
    const byWriter = await office.call('writer', 'targets:test', { target: wp(pageUrl), secret: 'x' });
    expect(byWriter.ok ? null : byWriter.error.code).toBe('forbidden');
    const folder = await office.call('admin', 'targets:test', { target: { id: 'f', kind: 'static-folder', label: '本地文件夹', folder: '/tmp' } });
    expect(folder.ok ? null : folder.error.code).toBe('invalid_request');
    const remote = await office.value('publisher', 'targets:test', { target: wp('http://portal.example.gov.cn/'), secret: 'x' });
    expect(remote).toMatchObject({ ok: false, outcome: 'insecure' });
  });

  it('uses a stored password only for the saved address and account, so it cannot be redirected elsewhere', async () => {
    const site = await office.value('admin', 'sites:get', { id: 'main' });
    await office.value('admin', 'sites:save', { ...withSiteIdentifiers(site), targets: [wp(pageUrl)] });
    await office.value('admin', 'targets:setCredential', { targetId: 'wp', secret: 'stored-secret' });
    let seenAuthorization = '';
    const collector = createServer((request, response) => {
      seenAuthorization = request.headers.authorization ?? '';
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"name":"x"}');
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const elsewhere = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
      const result = await office.value('publisher', 'targets:test', { siteId: 'main', target: wp(elsewhere) });
      expect(result).toMatchObject({ ok: false, outcome: 'no_password' });
      expect(seenAuthorization).toBe('');
    } finally {
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
  });

  describe.skipIf(!servers)('against the real WordPress, MetaWeblog and sshd', () => {
    const s = servers as TestServers;
    const mw = (password?: string) => ({
      target: { id: 'mw', kind: 'metaweblog' as const, label: '博客接口', credentialName: '', endpoint: s.xmlRpcUrl, blogId: '1', user: s.wpUser, slugPattern: '', allowPlainHttp: false },
      ...(password === undefined ? {} : { secret: password }),
    });
    const sftp = (extra: Partial<Extract<PublishTargetConfig, { kind: 'static-sftp' }>>) => ({
      id: 'sftp',
      kind: 'static-sftp' as const,
      label: 'SFTP 服务器',
      credentialName: '',
      host: s.sftpHost,
      port: s.sftpPort,
      username: s.sftpUser,
      remoteDir: s.sftpRoot,
      privateKeyPath: '',
      ...extra,
    });

    it('WordPress: logs in with the application password and names the account; a wrong one is a wrong password', async () => {
      const good = await office.value('admin', 'targets:test', { target: wp(s.wpUrl, s.wpUser), secret: s.wpAppPassword });
      expect(good).toMatchObject({ ok: true, outcome: 'ok' });
      expect(good.account).toBeTruthy();
      const bad = await office.value('admin', 'targets:test', { target: wp(s.wpUrl, s.wpUser), secret: 'wrong pass word 1234' });
      expect(bad).toMatchObject({ ok: false, outcome: 'auth' });
    });

    it('WordPress: a saved target is tested with its stored password when none is typed', async () => {
      const site = await office.value('admin', 'sites:get', { id: 'main' });
      await office.value('admin', 'sites:save', { ...withSiteIdentifiers(site), targets: [wp(s.wpUrl, s.wpUser)] });
      await office.value('admin', 'targets:setCredential', { targetId: 'wp', secret: s.wpAppPassword });
      expect(await office.value('publisher', 'targets:test', { siteId: 'main', target: wp(s.wpUrl, s.wpUser) })).toMatchObject({ ok: true });
    });

    it('MetaWeblog: logs in over XML-RPC; a wrong password is a wrong password; a page that is not XML-RPC says so', async () => {
      expect(await office.value('admin', 'targets:test', mw(s.wpPassword))).toMatchObject({ ok: true, outcome: 'ok', account: s.wpUser });
      expect(await office.value('admin', 'targets:test', mw('not-the-password'))).toMatchObject({ ok: false, outcome: 'auth' });
      const notRpc = mw(s.wpPassword);
      const result = await office.value('admin', 'targets:test', { ...notRpc, target: { ...notRpc.target, endpoint: pageUrl } });
      expect(result).toMatchObject({ ok: false, outcome: 'not_metaweblog' });
    });

    it('SFTP: logs in with the key and sees the folder; a wrong password is refused as such', async () => {
      expect(await office.value('admin', 'targets:test', { target: sftp({ privateKeyPath: s.sftpKeyPath }) })).toMatchObject({
        ok: true,
        outcome: 'ok',
        account: s.sftpUser,
      });
      const missing = await office.value('admin', 'targets:test', { target: sftp({ privateKeyPath: s.sftpKeyPath, remoteDir: `${s.sftpRoot}/no-such-folder` }) });
      expect(missing).toMatchObject({ ok: true, remoteDirMissing: true });
      expect(await office.value('admin', 'targets:test', { target: sftp({}), secret: 'wrong-password' })).toMatchObject({ ok: false, outcome: 'auth' });
    });
  });
});
