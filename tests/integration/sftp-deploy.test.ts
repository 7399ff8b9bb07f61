import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PublishError } from '../../node/services/publish/outbox/publish-error';
import { type DeployProgress, deployFolder, REMOTE_MANIFEST } from '../../node/services/publish/sftp/deploy';
import { loadTestServers, type TestServers } from '../support/test-servers';

const loaded = await loadTestServers();
if ('skip' in loaded) console.warn(`[skip] SFTP deploy tests: ${loaded.skip}`);
const servers = 'servers' in loaded ? loaded.servers : null;
// The tests run as root on the CI machine and read the sshd user's home directly to check results.
const canInspect = servers !== null && existsSync(servers.sftpRoot);

describe.skipIf(!servers || !canInspect)('SFTP deploy against the local sshd', () => {
  const s = servers as TestServers;
  const connection = () => ({ host: s.sftpHost, port: s.sftpPort, username: s.sftpUser, privateKey: readFileSync(s.sftpKeyPath) });

  it('uploads everything once, then only what changed, removes deleted pages and leaves no temp files', async () => {
    const site = mkdtempSync(join(tmpdir(), 'gazette-site-'));
    mkdirSync(join(site, 'news', '2021'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<h1>首页</h1>');
    writeFileSync(join(site, 'news', '2021', 'a.html'), '<h1>文章 A</h1>');
    writeFileSync(join(site, 'news', '2021', 'b.html'), '<h1>文章 B</h1>');
    const remoteName = `site-${randomUUID().slice(0, 8)}`;
    const remoteDir = `${s.sftpRoot}/${remoteName}`;

    const first = await deployFolder({ localDir: site, remoteDir, connection: connection() });
    expect(first.uploaded).toEqual(['index.html', 'news/2021/a.html', 'news/2021/b.html']);
    expect(readFileSync(join(remoteDir, 'news', '2021', 'a.html'), 'utf8')).toBe('<h1>文章 A</h1>');

    writeFileSync(join(site, 'news', '2021', 'a.html'), '<h1>文章 A（更新）</h1>');
    rmSync(join(site, 'news', '2021', 'b.html'));
    const progress: DeployProgress[] = [];
    const second = await deployFolder({ localDir: site, remoteDir, connection: connection(), onProgress: (p) => progress.push(p) });
    expect(second).toEqual({ uploaded: ['news/2021/a.html'], deleted: ['news/2021/b.html'], unchanged: 1 });
    expect(readFileSync(join(remoteDir, 'news', '2021', 'a.html'), 'utf8')).toBe('<h1>文章 A（更新）</h1>');
    expect(existsSync(join(remoteDir, 'news', '2021', 'b.html'))).toBe(false);
    expect(progress.map((p) => p.phase)).toEqual(['upload', 'rename', 'delete']);
    const all = readdirSync(remoteDir, { recursive: true }).map(String);
    expect(all.filter((name) => name.includes('.gz-upload-'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(remoteDir, REMOTE_MANIFEST), 'utf8')).files).toHaveProperty('news/2021/a.html');

    const third = await deployFolder({ localDir: site, remoteDir, connection: connection() });
    expect(third).toEqual({ uploaded: [], deleted: [], unchanged: 2 });
  });

  it('a damaged remote manifest costs a full upload, not a failure', async () => {
    const site = mkdtempSync(join(tmpdir(), 'gazette-site-'));
    writeFileSync(join(site, 'index.html'), 'x');
    const remoteDir = `${s.sftpRoot}/site-${randomUUID().slice(0, 8)}`;
    await deployFolder({ localDir: site, remoteDir, connection: connection() });
    writeFileSync(join(remoteDir, REMOTE_MANIFEST), '{ broken');
    const again = await deployFolder({ localDir: site, remoteDir, connection: connection() });
    expect(again.uploaded).toEqual(['index.html']);
  });

  it('a wrong key is reported as a login error in Chinese', async () => {
    const site = mkdtempSync(join(tmpdir(), 'gazette-site-'));
    writeFileSync(join(site, 'index.html'), 'x');
    const keyFile = join(site, '..', `wrong-key-${randomUUID().slice(0, 8)}`);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
    const wrongKey = readFileSync(keyFile);
    const error = (await deployFolder({ localDir: site, remoteDir: `${s.sftpRoot}/x`, connection: { ...connection(), privateKey: wrongKey } }).catch((e: unknown) => e)) as PublishError;
    expect(error).toBeInstanceOf(PublishError);
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('拒绝登录');
  });
});
