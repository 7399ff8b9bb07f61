// @vitest-environment jsdom
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PreviewResult, SiteSummary } from '../../../shared/api/contract';
import { emptyMeta } from '../../../shared/domain/article';
import type { Doc } from '../../../shared/domain/doc';
import type { EditorSession } from '../../../renderer/src/state/editor-session';
import { createStore } from '../../../renderer/src/state/store';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

type Call = { channel: string; payload: { doc?: Doc; largeText?: boolean; siteId?: string } };
let calls: Call[] = [];
let replies: PreviewResult[] = [];
const site = (id: string, name: string): SiteSummary => ({ id, name, baseUrl: `https://${id}.example.gov.cn/`, targets: [], customTheme: false });
let sites: SiteSummary[] = [site('main', '门户网站')];

// The renderer's api picks its transport when first imported: give it a bridge that records calls.
window.gazette = {
  invoke: async (channel, payload) => {
    if (channel === 'sites:list') return { ok: true, value: sites } as never;
    calls.push({ channel, payload: payload as Call['payload'] });
    const value = replies.length > 1 ? replies.shift() : replies[0];
    return { ok: true, value } as never;
  },
  assetUrl: (articleId, src) => `gazette-asset://${articleId}/${src}`,
  on: () => () => {},
};

let PreviewPane: typeof import('../../../renderer/src/publish/PreviewPane').PreviewPane;
beforeAll(async () => {
  ({ PreviewPane } = await import('../../../renderer/src/publish/PreviewPane'));
});

const page = (title: string): PreviewResult => ({
  html: `<!DOCTYPE html><html><body><h1>${title}</h1><img src="/assets/9f-photo.png" alt="现场"></body></html>`,
  assetUrls: { '/assets/9f-photo.png': 'assets/photo.png' },
  path: '/zwyw/202105/t20210520_art001.html',
  url: 'https://www.example.gov.cn/zwyw/202105/t20210520_art001.html',
});
const docWith = (text: string): Doc => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

/** Just what the pane reads from a session: its id, the live body and the metadata store. */
function fakeSession() {
  const session = {
    articleId: 'art001',
    doc: docWith('初稿'),
    store: createStore({ meta: { ...emptyMeta(), title: '标题' } }),
  };
  return session;
}

let container: HTMLDivElement;
let root: Root;
let session: ReturnType<typeof fakeSession>;

async function advance(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  calls = [];
  sites = [site('main', '门户网站')];
  replies = [page('标题')];
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  session = fakeSession();
  act(() => root.render(createElement(PreviewPane, { session: session as unknown as EditorSession })));
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.useRealTimers();
});

const frame = () => container.querySelector('iframe');

describe('PreviewPane', () => {
  it('renders after a quiet half second into a frame sandboxed with no permissions, images pointed at the app', async () => {
    await advance(490);
    expect(calls).toHaveLength(0);
    await advance(20);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.channel).toBe('preview:render');
    expect(calls[0]?.payload.doc).toEqual(docWith('初稿'));
    await advance(0);
    const element = frame();
    expect(element?.getAttribute('sandbox')).toBe('');
    const srcdoc = element?.getAttribute('srcdoc') ?? '';
    expect(srcdoc).toContain('<h1>标题</h1>');
    expect(srcdoc).toContain('src="gazette-asset://art001/assets/photo.png"');
    expect(container.textContent).toContain('t20210520_art001.html');
  });

  it('waits for typing to pause, then renders the latest unsaved text once', async () => {
    await advance(600);
    expect(calls).toHaveLength(1);
    for (const text of ['初稿一', '初稿一二', '初稿一二三']) {
      session.doc = docWith(text);
      await advance(300);
    }
    expect(calls).toHaveLength(1);
    await advance(800);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.payload.doc).toEqual(docWith('初稿一二三'));
  });

  it('shows a template error with file and line and keeps the last good page', async () => {
    await advance(600);
    replies = [{ error: { file: 'article.liquid', line: 7, message: 'tag "endiff" not found' } }];
    session.doc = docWith('改动');
    await advance(300);
    await advance(600);
    const alert = container.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('article.liquid 第 7 行');
    expect(alert?.textContent).toContain('tag "endiff" not found');
    expect(frame()?.getAttribute('srcdoc')).toContain('<h1>标题</h1>');
  });

  it('asks for the large-text page and switches the frame to the mobile width', async () => {
    await advance(600);
    const elder = [...container.querySelectorAll('label')].find((label) => label.textContent === '长者模式')?.querySelector('input');
    act(() => elder?.click());
    await advance(600);
    expect(calls.at(-1)?.payload.largeText).toBe(true);
    const mobile = [...container.querySelectorAll('button')].find((button) => button.textContent === '手机');
    act(() => mobile?.click());
    expect(frame()?.style.width).toBe('375px');
    expect(mobile?.getAttribute('aria-pressed')).toBe('true');
  });

  it('previews the main site, and another site the office runs when picked', async () => {
    await advance(600);
    // The services' default, the main site; with one site there is nothing to pick.
    expect(calls.at(-1)?.payload.siteId).toBeUndefined();
    expect(container.querySelector('select')).toBeNull();

    act(() => root.unmount());
    sites = [site('main', '门户网站'), site('mobile', '移动门户')];
    calls = [];
    root = createRoot(container);
    act(() => root.render(createElement(PreviewPane, { session: session as unknown as EditorSession })));
    await advance(600);
    const picker = [...container.querySelectorAll('label')].find((label) => label.textContent === '网站');
    const select = picker ? (document.getElementById(picker.htmlFor) as HTMLSelectElement | null) : null;
    expect(select?.value).toBe('main');
    act(() => {
      if (!select) return;
      select.value = 'mobile';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await advance(600);
    expect(calls.at(-1)?.payload.siteId).toBe('mobile');
  });
});
