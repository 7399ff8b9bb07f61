import { createHash } from 'node:crypto';
import type { CallContext, ParsedRequestOf, PreviewResult } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { neighbours, sortForListing } from '../../../shared/portal/listing';
import type { ThemeFiles } from '../../../shared/portal/render';
import { absoluteUrl, articleRelativePath, siteHref } from '../../../shared/portal/site';
import type { WorkspaceStore } from '../store/workspace-store';
import type { SessionGuard } from './access';
import type { IndexNumbers } from './index-numbers';
import { publishMessage } from './outbox/messages';
import { profileOf, type SiteService } from './sites';
import { articleAssetRefs, assetPath, renderStaticArticlePage, type StaticArticle } from './static/build';
import type { StaticPublisher } from './static/publisher';

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Adds the `elder` (长者) class to the page's `<html>` element, the way the renderer's largeText does. */
function withElderClass(html: string): string {
  return html.replace(/<html\b[^>]*>/i, (tag) => {
    if (/\bclass="/i.test(tag)) return tag.replace(/\bclass="([^"]*)"/i, (_whole, classes: string) => `class="${classes} elder"`);
    return tag.replace(/>$/, ' class="elder">');
  });
}

/** Options of {@link PreviewService}. */
export interface PreviewServiceOptions {
  store: WorkspaceStore;
  guard: SessionGuard;
  sites: SiteService;
  staticPublisher: StaticPublisher;
  /** An article published before shows the 索引号 it holds; others say it comes at publication. */
  indexNumbers?: IndexNumbers;
}

/** The portal preview: an article's page rendered by the static build's own page renderer. */
export class PreviewService {
  readonly #store: WorkspaceStore;
  readonly #guard: SessionGuard;
  readonly #sites: SiteService;
  readonly #static: StaticPublisher;
  readonly #indexNumbers: IndexNumbers | undefined;

  constructor(options: PreviewServiceOptions) {
    this.#store = options.store;
    this.#guard = options.guard;
    this.#sites = options.sites;
    this.#static = options.staticPublisher;
    this.#indexNumbers = options.indexNumbers;
  }

  /**
   * preview:render — the page exactly as the static build writes it, from the
   * unsaved doc/meta when given. Neighbours (上一篇/下一篇) come from the site's
   * live articles, as in the build; only they and the article itself are
   * handed to the renderer, so a keystroke does not hash every image of the site.
   */
  async render(request: ParsedRequestOf<'preview:render'>, context: CallContext): Promise<PreviewResult> {
    this.#guard.requirePerson(context);
    const siteId = request.siteId ?? (await this.#sites.defaultSiteId());
    const profile = profileOf(await this.#sites.site(siteId));
    const stored = await this.#store.get(request.articleId);
    const article: StaticArticle = {
      ...stored,
      meta: request.meta ?? stored.meta,
      doc: request.doc ?? stored.doc,
      status: 'published',
      trashedAt: null,
    };
    const held = article.meta.disclosure ? await this.#indexNumbers?.numberOf(article.id) : null;
    // No approvals are printed in a preview: only publishing reads them from the verified record.
    if (held) article.publication = { indexNo: held, reviews: [] };
    const others = (await this.#static.liveArticles(siteId)).filter((a) => a.id !== article.id);
    const near = neighbours(profile, sortForListing([...others, article])).get(article.id);
    const bare = (a: StaticArticle | null | undefined): StaticArticle[] => (a ? [{ ...a, doc: { type: 'doc', content: [] } }] : []);
    const assetSource = this.#static.assetSource(siteId);
    let templates: ThemeFiles | undefined;
    try {
      templates = await this.#sites.themeFiles(siteId);
    } catch (error) {
      return { error: { file: '', line: 0, message: error instanceof ApiError ? error.detail : String(error) } };
    }
    // The same processed photos publishing sends (from the site's cache after the first time), so the preview is the page byte for byte.
    const photos = await this.#static.preparePhotos(siteId, profile, [article], assetSource);
    const result = renderStaticArticlePage(
      {
        site: profile,
        articles: [...bare(near?.prev), article, ...bare(near?.next)],
        assetSource,
        photos: (articleId, src) => photos.get(`${articleId}\u0000${src}`) ?? null,
        templates,
      },
      article.id,
    );
    if (!result) return { error: { file: '', line: 0, message: publishMessage('publish.error.preview', { detail: article.id }) } };
    if ('error' in result) return { error: result.error };
    const assetUrls: Record<string, string> = {};
    for (const src of articleAssetRefs(article)) {
      const photo = photos.get(`${article.id}\u0000${src}`);
      // The frame shows a photo's files as the article's own picture: the page-size file and its 2× stand for it.
      const files = photo ? [photo.normal, ...(photo.double ? [photo.double] : []), ...photo.thumbnails] : [];
      for (const file of files) assetUrls[siteHref(profile, assetPath(sha256(file.data), `photo.${file.ext}`))] = src;
      const data = photo ? null : assetSource(article.id, src);
      if (data) assetUrls[siteHref(profile, assetPath(sha256(data), src))] = src;
    }
    const path = articleRelativePath(profile, article);
    return { html: request.largeText ? withElderClass(result.html) : result.html, assetUrls, path, url: absoluteUrl(profile, path) };
  }
}
