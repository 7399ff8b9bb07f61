import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

/**
 * A government portal on 127.0.0.1 for the web import and the column
 * migration: a column `/xwzx/gzdt/` whose listing runs over several pages
 * (`index.html`, `index_1.html`, … linked by 下一页), article pages with the
 * usual header, info line and a photo in the body, the site's menus and logo
 * around them, and the troublesome pages a real archive has — one answering
 * 500, one moved by a redirect, a PDF behind an article link, a page that
 * never finishes. Every request is logged, so a test can tell what was
 * fetched and how often.
 */

export interface FixturePortalOptions {
  /** Plain articles in the column. */
  articles: number;
  perPage?: number;
  /** Add the 500 / redirect / PDF / slow pages to the first listing page. */
  troublesome?: boolean;
  /** Give each article a body photo. */
  photos?: boolean;
}

export interface FixturePortal {
  base: string;
  listingUrl: string;
  articleUrl(n: number): string;
  titleOf(n: number): string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

export const TROUBLESOME = {
  failing: '/xwzx/gzdt/202405/t20240501_broken.html',
  moved: '/xwzx/gzdt/202405/t20240502_moved.html',
  movedTo: '/xwzx/gzdt/202405/t20240502_new.html',
  pdf: '/xwzx/gzdt/202405/t20240503_file.html',
  slow: '/xwzx/gzdt/202405/t20240504_slow.html',
};

const titleOf = (n: number): string => `开发区召开第${n}次安全生产工作推进会议`;
const articlePath = (n: number): string => `/xwzx/gzdt/2024${String((n % 12) + 1).padStart(2, '0')}/t2024_${n}.html`;

function chrome(body: string, title: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${title}_示范开发区</title></head>
<body>
<div class="header"><img src="/images/logo.png" alt="示范开发区" width="300" height="80"><ul class="nav">
<li><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li><li><a href="/zwgk/index.html">政务公开</a></li>
<li><a href="/zwgk/zcwj/index.html">政策文件</a></li></ul></div>
${body}
<div class="footer"><a href="/about/contact.html">联系我们</a> 版权所有：示范开发区管委会</div>
</body></html>`;
}

function articleHtml(n: number, photos: boolean): string {
  const photo = photos ? `<p style="text-align:center"><img src="/uploads/photo_${n}.png" alt="会议现场${n}"></p>\n` : '';
  return chrome(
    `<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/">新闻中心</a> &gt; <a href="/xwzx/gzdt/index.html">工作动态</a></div>
<h1>${titleOf(n)}</h1>
<div class="info">发布时间：2024-05-${String((n % 28) + 1).padStart(2, '0')} 来源：区党政办</div>
<div class="content">
<p>&emsp;&emsp;5月${(n % 28) + 1}日，开发区召开第${n}次安全生产工作推进会议，传达学习上级有关会议精神，安排部署下一阶段重点工作。</p>
${photo}<p>&emsp;&emsp;会议强调，要坚持人民至上、生命至上，压紧压实安全生产责任，全面排查整治各类风险隐患，确保全区安全形势持续稳定。编号${n}。</p>
</div>`,
    titleOf(n),
  );
}

function listingHtml(page: number, pages: number, numbers: number[], extra: string[]): string {
  const items = numbers.map((n) => `<li><a href="${articlePath(n)}" target="_blank">${titleOf(n)}</a><span>2024-05-01</span></li>`);
  const extras = extra.map((path, i) => `<li><a href="${path}">开发区工作动态特殊页面第${i + 1}篇</a></li>`);
  const next = page + 1 < pages ? `<a href="index_${page + 1}.html">下一页</a>` : '';
  const previous = page > 0 ? `<a href="${page === 1 ? 'index.html' : `index_${page - 1}.html`}">上一页</a>` : '';
  return chrome(`<div class="list"><ul>\n${[...items, ...extras].join('\n')}\n</ul></div><div class="page">${previous} ${next}</div>`, '工作动态');
}

export async function startFixturePortal(options: FixturePortalOptions): Promise<FixturePortal> {
  const perPage = options.perPage ?? 20;
  const pages = Math.max(1, Math.ceil(options.articles / perPage));
  const photos = options.photos ?? true;
  const png = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 40, g: 110, b: 180 } } })
    .png()
    .toBuffer();
  const byPath = new Map<string, number>();
  for (let n = 1; n <= options.articles; n++) byPath.set(articlePath(n), n);
  const requests: string[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const html = (body: string) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(body);
    };
    const listing = /^\/xwzx\/gzdt\/index(?:_(\d+))?\.html$/u.exec(path);
    if (listing) {
      const page = Number(listing[1] ?? 0);
      if (page >= pages) {
        response.writeHead(404).end();
        return;
      }
      const numbers = [...byPath.values()].slice(page * perPage, (page + 1) * perPage);
      const extra = options.troublesome && page === 0 ? [TROUBLESOME.failing, TROUBLESOME.moved, TROUBLESOME.pdf, TROUBLESOME.slow] : [];
      html(listingHtml(page, pages, numbers, extra));
      return;
    }
    const n = byPath.get(path);
    if (n !== undefined) {
      html(articleHtml(n, photos));
      return;
    }
    if (path === TROUBLESOME.failing) {
      response.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
      return;
    }
    if (path === TROUBLESOME.moved) {
      response.writeHead(302, { location: TROUBLESOME.movedTo }).end();
      return;
    }
    if (path === TROUBLESOME.movedTo) {
      html(articleHtml(9000, photos));
      return;
    }
    if (path === TROUBLESOME.pdf) {
      response.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4\n%…');
      return;
    }
    if (path === TROUBLESOME.slow) {
      // Headers at once, then the body never ends: only the time limit gets the importer out.
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.write('<!DOCTYPE html><html><body><p>');
      return;
    }
    if (/^\/uploads\/photo_\d+\.png$/u.test(path) || path === '/images/logo.png') {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>404</h1>');
  };

  const server: Server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    listingUrl: `${base}/xwzx/gzdt/index.html`,
    articleUrl: (n) => `${base}${articlePath(n)}`,
    titleOf,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
