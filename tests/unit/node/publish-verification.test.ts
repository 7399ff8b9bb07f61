import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../../node/services/publish/outbox/outbox';
import type { PublishPayload, PublishTarget, RemotePost } from '../../../node/services/publish/outbox/target';
import { bodyTextBlocks } from '../../../node/services/publish/outbox/payload';
import type { Doc } from '../../../shared/domain/doc';

/** A web server standing in for the published site: the page and its files are what the test says. */
interface FakeSite {
  base: string;
  files: Map<string, { status: number; type: string; body: string }>;
  server: Server;
}

async function fakeSite(): Promise<FakeSite> {
  const files = new Map<string, { status: number; type: string; body: string }>();
  const server = createServer((req, res) => {
    const file = files.get(req.url ?? '');
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>');
      return;
    }
    res.writeHead(file.status, { 'Content-Type': file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, files, server };
}

/** A target that "publishes" by answering with the fake site's page and the images it says it uploaded. */
class PagePostingTarget implements PublishTarget {
  readonly id = 'site';
  readonly label = '测试网站';
  constructor(readonly site: FakeSite) {}
  async findByJobId(): Promise<RemotePost | null> {
    return null;
  }
  async create(): Promise<RemotePost> {
    return { remoteId: '1', url: `${this.site.base}/post/1`, images: [{ url: `${this.site.base}/uploads/photo.webp`, mimeType: 'image/webp' }] };
  }
  async update(): Promise<RemotePost> {
    return this.create();
  }
  async withdraw(): Promise<void> {}
}

const doc: Doc = {
  type: 'doc',
  content: [
    { type: 'paragraph', content: [{ type: 'text', text: '会议强调，要坚持“以人民为中心”的发展思想。' }] },
    { type: 'paragraph', content: [{ type: 'text', text: '会议要求，各部门要抓好落实...' }] },
  ],
};

const payload: PublishPayload = {
  title: '区委常委会召开专题会议',
  html: '<p>unused here</p>',
  excerpt: '',
  date: null,
  column: [],
  keywords: [],
  source: '',
  cover: null,
  images: [],
  bodyText: bodyTextBlocks(doc),
};

/** What WordPress makes of the approved body: wpautop paragraphs, curly quotes, an ellipsis, theme chrome around it. */
function livePage(body: string): string {
  return `<!DOCTYPE html><html><head><title>区委常委会召开专题会议 – 测试站</title><style>p{margin:0}</style></head><body>
<header>测试站</header><article><h1 class="entry-title">区委常委会召开专题会议</h1><div class="entry-content">
${body}
<p><img src="/uploads/photo.webp" alt=""></p></div></article></body></html>`;
}
const faithfulBody =
  '<p>会议强调，要坚持&#8220;以人民为中心&#8221;的发展思想。</p>\n<p>会议要求，各部门要抓好落实&#8230;<!-- gazette-job:x --></p>';

let site: FakeSite | null = null;
afterEach(() => {
  site?.server.close();
  site = null;
});

async function publishAndVerify(): Promise<NonNullable<ReturnType<Outbox['job']>>['receipt']> {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-verify-'));
  const outbox = await Outbox.open({ dir, targets: [new PagePostingTarget(site as FakeSite)], verifyTimeoutMs: 5000 });
  const job = await outbox.enqueue({ action: 'publish', targetId: 'site', articleId: 'a1', contentHash: 'h', payload });
  await outbox.runDue();
  return outbox.job(job.id)?.receipt ?? null;
}

describe('a receipt is 已核验 only when the live page shows what was approved', () => {
  it('verifies a page that shows the approved text (typography changed by the server) and whose image answers 200 with its type', async () => {
    site = await fakeSite();
    site.files.set('/post/1', { status: 200, type: 'text/html; charset=UTF-8', body: livePage(faithfulBody) });
    site.files.set('/uploads/photo.webp', { status: 200, type: 'image/webp', body: 'RIFF....WEBP' });
    const receipt = await publishAndVerify();
    expect(receipt?.verificationIssues).toEqual([]);
    expect(receipt?.verification).toBe('verified');
  });

  it('flags a post whose image answers 404, naming the image', async () => {
    site = await fakeSite();
    site.files.set('/post/1', { status: 200, type: 'text/html', body: livePage(faithfulBody) });
    const receipt = await publishAndVerify();
    expect(receipt?.verification).toBe('flagged');
    expect(receipt?.verificationIssues).toEqual([{ code: 'image_status', params: { url: `${site.base}/uploads/photo.webp`, status: '404' } }]);
    expect(receipt?.verificationDetail).toContain('返回 HTTP 404');
  });

  it('flags an image served with another type (an error page at the image URL)', async () => {
    site = await fakeSite();
    site.files.set('/post/1', { status: 200, type: 'text/html', body: livePage(faithfulBody) });
    site.files.set('/uploads/photo.webp', { status: 200, type: 'text/html', body: '<p>登录</p>' });
    const receipt = await publishAndVerify();
    expect(receipt?.verification).toBe('flagged');
    expect(receipt?.verificationIssues).toMatchObject([{ code: 'image_type', params: { expected: 'image/webp', actual: 'text/html' } }]);
  });

  it('flags a page whose body differs from the approved one, saying from where, even though the title is right', async () => {
    site = await fakeSite();
    const changed = '<p>会议强调，要坚持&#8220;以人民为中心&#8221;的发展思想。</p>\n<p>会议要求，各部门要认真研究。</p>';
    site.files.set('/post/1', { status: 200, type: 'text/html', body: livePage(changed) });
    site.files.set('/uploads/photo.webp', { status: 200, type: 'image/webp', body: 'RIFF' });
    const receipt = await publishAndVerify();
    expect(receipt?.verification).toBe('flagged');
    expect(receipt?.verificationIssues).toEqual([{ code: 'body_missing', params: { text: '会议要求，各部门要抓好落实...' } }]);
  });

  it('flags a page that is not there', async () => {
    site = await fakeSite();
    const receipt = await publishAndVerify();
    expect(receipt?.verification).toBe('flagged');
    expect(receipt?.verificationIssues).toMatchObject([{ code: 'page_status', params: { status: '404' } }]);
  });
});
