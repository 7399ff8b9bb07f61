import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkspaceStore } from '../../../node/services/store/workspace-store';
import { createWebHost } from '../../../node/webhost/server';
import type { Article } from '../../../shared/domain/article';
import { createOffice, draft, type Office } from '../../support/review-api';

/*
 * An article's assets folder is the only place its files are read from. A
 * symbolic link placed there (by a sync tool, a script, another user of the
 * machine) must not carry a file from elsewhere on the disk to the web host,
 * into a package or onto the portal.
 */

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fe0def46b80000000049454e44ae426082', 'hex');
// A real PNG header followed by what must never leave the machine: it passes every byte check.
const SECRET_PNG = Buffer.concat([PNG, Buffer.from('PRIVATE-KEY-OF-SOMEONE-ELSE')]);
const PDF = Buffer.from('%PDF-1.7\n');
const storedName = (bytes: Uint8Array) => `${createHash('sha256').update(bytes).digest('hex').slice(0, 20)}.png`;

let office: Office;
let outside: string;
let article: Article;
let src: string;

beforeEach(async () => {
  office = await createOffice([{ who: 'writer', name: '张撰稿', roles: ['writer'] }]);
  outside = mkdtempSync(join(tmpdir(), 'gazette-outside-'));
  const target = join(outside, 'secret.png');
  writeFileSync(target, SECRET_PNG);
  article = await draft(office, 'writer', '带链接的文稿', '正文');
  src = `assets/${storedName(SECRET_PNG)}`;
  mkdirSync(join(office.dir, 'articles', article.id, 'assets'), { recursive: true });
  symlinkSync(target, join(office.dir, 'articles', article.id, src));
});
afterEach(async () => {
  await office.close();
  rmSync(outside, { recursive: true, force: true });
});

function get(port: number, path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a link in an article’s assets is never followed', () => {
  it('the web host refuses it with the reason and sends none of the file', async () => {
    const host = await createWebHost({
      dispatch: (channel, payload, context) => office.workspace.dispatch(channel as never, payload, context),
      assetPath: (id, asset) => office.workspace.assetPath(id, asset),
      rendererDir: outside,
    }).listen(0);
    try {
      const reply = await get(host.port, `/files/${article.id}/${src}`, host.token);
      expect(reply.status).toBe(403);
      expect(reply.body).toContain('工作区以外');
      expect(reply.body).not.toContain('PRIVATE-KEY');
    } finally {
      await host.close();
    }
  });

  it('a package export is refused, naming the attachment', async () => {
    const reply = await office.call('writer', 'package:export', { ids: [article.id] });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.detail).toContain(src);
    expect(reply.error.detail).toContain('工作区以外');
  });

  it('static publishing treats it as missing and never reads it', async () => {
    const read = office.workspace.publish.staticPublisher.assetSource('main');
    expect(read(article.id, src)).toBeNull();
  });

  it('is left out of the files an approval covers, while a regular file beside it is still served', async () => {
    const added = await office.value('writer', 'assets:add', {
      articleId: article.id,
      fileName: '通知.pdf',
      mime: 'application/pdf',
      dataBase64: PDF.toString('base64'),
    });
    expect(office.workspace.assetPath(article.id, added.src)).toBe(join(office.dir, 'articles', article.id, added.src));
    const store = await WorkspaceStore.open(office.dir, { indexFlushDelayMs: 10 });
    try {
      expect((await store.assetDigests(article.id)).map((d) => d.name)).toEqual([added.src.slice('assets/'.length)]);
    } finally {
      await store.close();
    }
  });
});
