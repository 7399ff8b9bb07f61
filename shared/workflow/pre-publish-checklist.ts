import type { Article } from '../domain/article';
import { describeDisclosureProblem, disclosureProblems } from '../domain/disclosure';
import type { DocNode } from '../domain/doc';
import { isSafeHref } from '../html/serialize';
import { fillTemplate, type MessageParams } from '../i18n/define';
import checkMessages from '../i18n/messages/publish-check';

/** What one pre-publish check looks at. */
export type ChecklistCode = 'title' | 'column' | 'publishAt' | 'source' | 'imageAlt' | 'imageSource' | 'links' | 'disclosure';

/** One pre-publish check; `ok: false` blocks publishing. */
export interface ChecklistItem {
  code: ChecklistCode;
  ok: boolean;
  /** Plain Chinese: what is missing, or what was checked. */
  message: string;
}

type CheckMessageKey = keyof (typeof checkMessages)['zh-CN'];

function checkMessage(key: CheckMessageKey, params: MessageParams = {}): string {
  return fillTemplate(checkMessages['zh-CN'][key], params).trim();
}

/** Is this a link a portal page may carry: no spaces, a known scheme, and a parseable absolute URL. */
function isWellFormedLink(href: string): boolean {
  const value = href.trim();
  if (value === '' || /\s/.test(value) || !isSafeHref(value)) return false;
  if (/^https?:/i.test(value)) {
    try {
      const url = new URL(value);
      return url.hostname !== '';
    } catch {
      return false;
    }
  }
  if (/^mailto:/i.test(value)) return /^mailto:[^@\s]+@[^@\s]+$/i.test(value);
  return true;
}

/**
 * An image the article itself stores (`assets/<name>`): only those are covered
 * by the approved content hash and copied with the page. Anything else (a web
 * address, a file path) would show whatever that place serves on the day.
 */
function isWorkspaceAsset(src: unknown): boolean {
  return typeof src === 'string' && /^assets\/[A-Za-z0-9][A-Za-z0-9._-]*$/.test(src) && !src.includes('..');
}

/**
 * The pre-publish checklist: required metadata, alt text on every image, images
 * from the article's own assets, well-formed links, and — only for a document
 * that carries them — the 信息公开 fields (shared/domain/disclosure.ts).
 */
export function prePublishChecklist(article: Pick<Article, 'meta' | 'doc'>): ChecklistItem[] {
  const { meta } = article;
  const missingAlt: string[] = [];
  const foreignImages: string[] = [];
  const badLinks: string[] = [];
  const walk = (node: DocNode): void => {
    if (node.type === 'image') {
      const alt = node.attrs?.alt;
      if (typeof alt !== 'string' || alt.trim() === '') missingAlt.push(String(node.attrs?.src ?? '?'));
      if (!isWorkspaceAsset(node.attrs?.src)) foreignImages.push(String(node.attrs?.src ?? '?'));
    }
    for (const mark of node.marks ?? []) {
      if (mark.type !== 'link') continue;
      const href = mark.attrs?.href;
      if (typeof href !== 'string' || !isWellFormedLink(href)) badLinks.push(String(href ?? ''));
    }
    for (const child of node.content ?? []) walk(child);
  };
  walk(article.doc);
  if (meta.cover && meta.cover.alt.trim() === '') missingAlt.push(meta.cover.src);
  if (meta.cover && !isWorkspaceAsset(meta.cover.src)) foreignImages.push(meta.cover.src);
  const list = (items: string[]) => items.slice(0, 5).map((item) => item.split('/').pop() || item).join('、');
  const item = (code: 'title' | 'column' | 'publishAt' | 'source', ok: boolean): ChecklistItem => ({
    code,
    ok,
    message: checkMessage(ok ? `publish.check.${code}.ok` : `publish.check.${code}.missing`),
  });
  const links = [...new Set(badLinks)];
  const disclosure: ChecklistItem[] = [];
  if (meta.disclosure) {
    const found = disclosureProblems(meta.disclosure, meta.publishAt);
    const docNo = meta.disclosure.docNo;
    disclosure.push(
      found.length === 0
        ? { code: 'disclosure', ok: true, message: checkMessage('publish.check.disclosure.ok') }
        : {
            code: 'disclosure',
            ok: false,
            message: checkMessage('publish.check.disclosure.bad', { list: found.map((p) => describeDisclosureProblem(p, docNo)).join('；') }),
          },
    );
  }
  return [
    item('title', meta.title.trim() !== ''),
    item('column', meta.column.length > 0),
    item('publishAt', meta.publishAt !== null && meta.publishAt.trim() !== ''),
    item('source', meta.source.trim() !== ''),
    missingAlt.length === 0
      ? { code: 'imageAlt', ok: true, message: checkMessage('publish.check.imageAlt.ok') }
      : { code: 'imageAlt', ok: false, message: checkMessage('publish.check.imageAlt.missing', { count: missingAlt.length, list: list(missingAlt) }) },
    foreignImages.length === 0
      ? { code: 'imageSource', ok: true, message: checkMessage('publish.check.imageSource.ok') }
      : {
          code: 'imageSource',
          ok: false,
          message: checkMessage('publish.check.imageSource.foreign', { count: foreignImages.length, list: foreignImages.slice(0, 5).join('、') }),
        },
    links.length === 0
      ? { code: 'links', ok: true, message: checkMessage('publish.check.links.ok') }
      : { code: 'links', ok: false, message: checkMessage('publish.check.links.bad', { count: links.length, list: links.slice(0, 5).join('、') }) },
    ...disclosure,
  ];
}
