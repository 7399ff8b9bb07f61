import { note, noteText } from '../../shared/i18n/note';
import { readFileSync } from 'node:fs';
import type { ApiHandlers, CallContext, ImportOutcome, TemplateInput } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import type { Article, ArticleMeta, ImportOrigin, TemplateId } from '../../shared/domain/article';
import { type Doc, type DocNode, docToPlainText } from '../../shared/domain/doc';
import { statusLabel } from '../../shared/workflow/messages';
import { isLocked } from '../../shared/workflow/locks';
import type { IdentityService } from './identity/identity-service';
import { t } from './messages';
import { errorDetail, toApiError, withApiErrors } from './api-errors';
import { exportGongwen, type PrintToPdf } from './export';
import { decodeText, type ImportDraft } from './import';
import { MigrationService } from './import/migration';
import { attachPageImages } from './import/page-images';
import { type FetchLimits, fetchPage, IMAGE_LIMITS, PAGE_LIMITS, parseWebUrl } from './import/web-fetch';
import { PhotoLibrary } from './media/photo-library';
import type { NotificationService } from './notify/notification-service';
import type { ProofreadService } from './proofread/service';
import type { Publishing } from './publish';
import type { PendingPublicationsService } from './publish/pending';
import type { ReviewService } from './review/review-service';
import type { SignoffService } from './review/signoff-service';
import { mimeForAsset } from './store/assets';
import { contentFingerprint, sourceFingerprint } from './store/fingerprint';
import { KeyedQueue } from './store/keyed-queue';
import type { DuplicateMatch, WorkspaceStore } from './store/workspace-store';
import type { SyncHandlers } from './sync/sync-handlers';
import type { TransferService } from './transfer/transfer-service';

/** Sessions and people, review, sign-off and transfer: the services that know who is calling. */
export interface OfficeServices {
  identity: IdentityService;
  review: ReviewService;
  signoff: SignoffService;
  transfer: TransferService;
  /** The bell: each person's notifications and read marks. */
  notifications?: NotificationService;
  /** 待发布: approved articles not live with their approved text. */
  pending?: PendingPublicationsService;
  /** The office sync's channels (node/services/sync/sync-handlers.ts). */
  sync?: SyncHandlers;
}

/** The other services the handlers call; injectable so tests can isolate the store. */
export interface ServiceDeps {
  buildFromTemplate: (template: TemplateId, input: TemplateInput) => { meta: ArticleMeta; doc: Doc };
  importFileBuffer: (fileName: string, data: Buffer) => Promise<ImportDraft>;
  importPortalText: (text: string, fileName: string) => Promise<ImportDraft>;
  articleToHtmlDocument: (article: Article, options: { resolveSrc?: (src: string) => string }) => string;
  /** Prints the 公文 page to PDF (Electron's printToPDF in the desktop app); headless Chromium when absent. */
  printToPdf?: PrintToPdf;
  log?: (message: string) => void;
  /** Column migrations (background jobs the workspace stops when it closes); one of its own when absent. */
  migrations?: MigrationService;
  /** Size and time limits of web downloads (tests shorten them). */
  webLimits?: { page: FetchLimits; image: FetchLimits };
}

/** The name the portal importer reads a downloaded page under: the page's own, as HTML. */
function pageFileName(url: string): string {
  const { hostname, pathname } = new URL(url);
  const last = decodeURIComponent(pathname.split('/').pop() ?? '') || hostname;
  return /\.s?html?$/iu.test(last) ? last.replace(/\.shtml$/iu, '.html') : `${last}.html`;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;

/** A file name that is valid on Windows, macOS and Linux; falls back to `fallback`. */
export function safeFileName(name: string, fallback: string): string {
  let cleaned = name
    .replace(/[<>:"/\\|?*\p{Cc}]/gu, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[. ]+$/, '');
  if (cleaned.length > 100) cleaned = cleaned.slice(0, 100).trim();
  if (cleaned === '') cleaned = fallback;
  return WINDOWS_RESERVED.test(cleaned) ? `_${cleaned}` : cleaned;
}

function decodeBase64(data: string): Buffer {
  const trimmed = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(trimmed)) throw new ApiError('invalid_request', 'file data is not valid base64');
  return Buffer.from(trimmed, 'base64');
}

/**
 * Replaces image srcs (and the cover) that the importer named, with the names
 * the store gave them; an image that became a photo also gets its original
 * and pixel size, as the editor's image nodes carry them.
 */
function rewriteSrcs(
  node: DocNode,
  renamed: ReadonlyMap<string, string>,
  photos: ReadonlyMap<string, { original: string; width: number; height: number }> = new Map(),
): DocNode {
  const src = node.attrs?.src;
  const newSrc = typeof src === 'string' ? renamed.get(src) : undefined;
  const photo = newSrc !== undefined && node.type === 'image' ? photos.get(newSrc) : undefined;
  const attrs = newSrc !== undefined ? { ...node.attrs, src: newSrc, ...photo } : node.attrs;
  const copy: DocNode = { ...node };
  if (attrs) copy.attrs = attrs;
  if (node.content) copy.content = node.content.map((child) => rewriteSrcs(child, renamed, photos));
  return copy;
}

/**
 * Implements every API channel on top of one workspace store. With `office`
 * (as openWorkspace always wires it) every call is checked against the
 * caller's session and role; without it (store-only tests and benchmarks) the
 * article and import channels run unchecked and the session, people, review
 * and package channels are unavailable.
 */
export function createApiHandlers(
  store: WorkspaceStore,
  deps: ServiceDeps,
  office?: OfficeServices,
  publish?: Publishing,
  proofread?: ProofreadService,
): ApiHandlers {
  const log = deps.log ?? (() => {});
  const photos = new PhotoLibrary(store);
  const unavailable = async (): Promise<never> => {
    throw new ApiError('internal', 'review is not configured for this workspace');
  };
  const noProofreading = async (): Promise<never> => {
    throw new ApiError('internal', 'proofreading is not configured for this workspace');
  };
  const noPublishing = async (): Promise<never> => {
    throw new ApiError('internal', 'publishing is not configured for this workspace');
  };
  const person = (context: CallContext) => {
    office?.identity.requirePerson(context);
  };
  const creator = (context: CallContext) => {
    office?.identity.requireCreator(context);
  };
  /** The signed-in person's id, recorded as an article's author or as who trashed it (null without people). */
  const authorOf = (context: CallContext): string | null => office?.identity.personOf(context)?.id ?? null;

  const createFromDraft = async (file: string, draft: ImportDraft, importedFrom: ImportOrigin, importer: string | null): Promise<ImportOutcome> => {
    const warnings = [...draft.warnings];
    // Created with the importer's doc first, so the text is safe even if an attachment fails.
    const article = await store.create(draft.meta, draft.doc, { importedFrom, createdBy: importer });
    const renamed = new Map<string, string>();
    const photoAttrs = new Map<string, { original: string; width: number; height: number }>();
    for (const asset of draft.assets) {
      try {
        if (PhotoLibrary.isPhoto(asset.fileName)) {
          const { src, ...photo } = await photos.add(article.id, asset.fileName, asset.data);
          renamed.set(`assets/${asset.fileName}`, src);
          photoAttrs.set(src, photo);
          continue;
        }
        const { src } = await store.addAsset(article.id, asset.fileName, asset.mime, asset.data);
        renamed.set(`assets/${asset.fileName}`, src);
      } catch (error) {
        warnings.push(note('importNote.assetFailed', { file: asset.fileName, detail: errorDetail(error) }));
      }
    }
    let summary = store.summary(article.id);
    if (renamed.size > 0) {
      const doc = rewriteSrcs(draft.doc, renamed, photoAttrs) as Doc;
      const cover = draft.meta.cover;
      const meta: ArticleMeta =
        cover && renamed.has(cover.src) ? { ...draft.meta, cover: { ...cover, src: renamed.get(cover.src) ?? cover.src } } : draft.meta;
      summary = (await store.save(article.id, meta, doc)).summary;
    }
    if (!summary) throw new ApiError('internal', `imported article ${article.id} vanished`);
    return {
      ok: true,
      file,
      article: summary,
      fields: draft.fields,
      unrecognised: draft.unrecognised,
      warnings: warnings.map((message) => noteText(message)),
      warningMessages: warnings,
    };
  };

  const duplicateOutcome = (file: string, match: DuplicateMatch): ImportOutcome => ({
    ok: false,
    duplicate: true,
    file,
    reason: match.reason,
    existing: { id: match.summary.id, title: match.summary.title, trashed: match.summary.trashedAt !== null },
  });

  // Check-then-create must not interleave, or two windows importing one folder would both pass the check.
  const imports = new KeyedQueue();
  const inTurn = <T>(task: () => Promise<T>): Promise<T> => imports.run('import', task);

  const importSafely = async (
    importer: string | null,
    file: string,
    source: Buffer | string,
    allowDuplicate: boolean,
    produce: () => Promise<ImportDraft>,
  ): Promise<ImportOutcome> => {
    const sha256 = sourceFingerprint(source);
    // Same bytes need no parsing to be recognised: re-importing a folder of large Word files stays quick.
    const sameFile = allowDuplicate ? null : store.findDuplicate(sha256, null);
    if (sameFile) return duplicateOutcome(file, sameFile);
    let draft: ImportDraft;
    try {
      draft = await produce();
    } catch (caught) {
      // A refusal (a limit, an unreadable file) is the outcome the writer reads; nothing was created.
      const error = toApiError(caught);
      if (error instanceof ApiError) return { ok: false, file, reason: error.detail };
      log(`[import] ${file} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { ok: false, file, reason: error instanceof Error ? error.message : String(error) };
    }
    const origin: ImportOrigin = { name: file, sha256, contentSha256: contentFingerprint(draft.meta, docToPlainText(draft.doc)) };
    return inTurn(async () => {
      const match = allowDuplicate ? null : store.findDuplicate(origin.sha256, origin.contentSha256);
      return match ? duplicateOutcome(file, match) : createFromDraft(file, draft, origin, importer);
    });
  };

  /**
   * One page by its address: fetched within the limits, read by the portal
   * importer as a saved page would be, its body's pictures downloaded, and
   * checked for duplicates like any import (the same page bytes, or the same
   * title, date and text from a page that changed around them).
   */
  const importUrl = async (address: string, importer: string | null, allowDuplicate: boolean, sameHostAs?: string): Promise<ImportOutcome> => {
    let page: Awaited<ReturnType<typeof fetchPage>>;
    try {
      const limits = deps.webLimits?.page ?? PAGE_LIMITS;
      page = await fetchPage(parseWebUrl(address), sameHostAs ? { ...limits, sameHostAs } : limits);
    } catch (error) {
      return { ok: false, file: address, reason: errorDetail(error) };
    }
    return importSafely(importer, page.url, page.data, allowDuplicate, async () => {
      const draft = await deps.importFileBuffer(pageFileName(page.url), page.data);
      await attachPageImages(draft, decodeText(page.data, page.url), page.url, { limits: deps.webLimits?.image ?? IMAGE_LIMITS });
      return draft;
    });
  };
  const migrations = deps.migrations ?? new MigrationService(store.dir);
  migrations.setImporter((url, importer, host) => importUrl(url, importer, false, host));

  const inlineAsset = (articleId: string) => (src: string) => {
    try {
      const path = store.assetPath(articleId, src);
      if (!path) return src;
      return `data:${mimeForAsset(path)};base64,${readFileSync(path).toString('base64')}`;
    } catch {
      return src;
    }
  };

  return withApiErrors({
    'articles:list': async (request, context) => {
      person(context);
      const range = { offset: request.offset, limit: request.limit };
      if (store.loading) {
        const early = store.earlyPage(request, range);
        if (early) return { items: early.items, total: early.total, loading: true, problems: store.sessionProblems() };
        await store.loaded;
      }
      const { items, total, snippets, indexPending } = store.search(request, range);
      if (!request.query?.trim()) return { items, total, problems: store.sessionProblems() };
      return { items, total, snippets, searchIndexPending: indexPending, problems: store.sessionProblems() };
    },
    'articles:get': async (request, context) => {
      person(context);
      return store.get(request.id);
    },
    'articles:create': async (request, context) => {
      creator(context);
      const { meta, doc } = deps.buildFromTemplate(request.template, request.input);
      return store.create(meta, doc, { createdBy: authorOf(context) });
    },
    'articles:save': (request, context) =>
      office ? office.review.saveArticle(request, context) : store.save(request.id, request.meta, request.doc, request.baseUpdatedAt),
    'articles:trash': async (request, context) => {
      await office?.review.assertTrashable(request.id, context);
      return store.trash(request.id, authorOf(context));
    },
    'articles:restore': async (request, context) => {
      await office?.review.assertRestorable(request.id, context);
      return store.restore(request.id);
    },
    'articles:purge': async (request, context) => {
      person(context);
      return store.purge(request.id, office?.identity.requirePerson(context).id ?? '');
    },
    'articles:saveVersion': (request, context) =>
      office ? office.review.saveVersion(request, context) : store.saveVersion(request.id, request.name),
    'articles:versions': async (request, context) => {
      person(context);
      return store.versions(request.id);
    },
    'articles:getVersion': async (request, context) => {
      person(context);
      return store.getVersion(request.id, request.revisionId);
    },
    'articles:export': async (request, context) => {
      person(context);
      const article = await store.get(request.id);
      const baseName = safeFileName(article.meta.title, article.id);
      if (request.format === 'docx' || request.format === 'pdf' || request.format === 'print') {
        const organ = article.meta.disclosure?.publisher || store.settings().signoff.officeName;
        const readAsset = (articleId: string, src: string): Buffer | null => {
          const path = store.assetPath(articleId, src);
          try {
            return path ? readFileSync(path) : null;
          } catch {
            return null;
          }
        };
        return exportGongwen(article, request.format, { redheadOrgan: request.redhead ? organ : null }, { readAsset, mimeOf: mimeForAsset, printToPdf: deps.printToPdf }, baseName);
      }
      if (request.format === 'json') {
        return {
          fileName: `${baseName}.json`,
          mime: 'application/json',
          content: `${JSON.stringify(article, null, 2)}\n`,
        };
      }
      return {
        fileName: `${baseName}.html`,
        mime: 'text/html',
        content: deps.articleToHtmlDocument(article, { resolveSrc: inlineAsset(article.id) }),
      };
    },
    'assets:add': async (request, context) => {
      person(context);
      // An image or attachment goes live with the text: while reviewers hold the
      // article (or have approved it), its files are as locked as its words.
      const status = store.summary(request.articleId)?.status;
      if (status && isLocked(status)) throw new ApiError('forbidden', t('session.error.assetsLocked', { status: statusLabel(status) }));
      const data = decodeBase64(request.dataBase64);
      if (!PhotoLibrary.isPhoto(request.fileName)) return store.addAsset(request.articleId, request.fileName, request.mime, data);
      if (!store.summary(request.articleId)) throw new ApiError('not_found', `no article ${request.articleId}`);
      const { src, original, width, height } = await photos.add(request.articleId, request.fileName, data);
      return { src, photo: { original, width, height } };
    },
    'photos:edit': async (request, context) => {
      person(context);
      const status = store.summary(request.articleId)?.status;
      if (!status) throw new ApiError('not_found', `no article ${request.articleId}`);
      if (isLocked(status)) throw new ApiError('forbidden', t('session.error.assetsLocked', { status: statusLabel(status) }));
      return photos.edit(request.articleId, request.original, request.edit);
    },
    'import:file': async (request, context) => {
      creator(context);
      let data: Buffer;
      try {
        data = decodeBase64(request.dataBase64);
      } catch (error) {
        return { ok: false, file: request.name, reason: error instanceof ApiError ? error.detail : String(error) };
      }
      return importSafely(authorOf(context), request.name, data, request.allowDuplicate, () =>
        deps.importFileBuffer(request.name.split(/[\\/]/).pop() ?? request.name, data),
      );
    },
    'import:text': async (request, context) => {
      creator(context);
      return importSafely(authorOf(context), request.name, request.text, request.allowDuplicate, () =>
        deps.importPortalText(request.text, request.name),
      );
    },
    'import:url': async (request, context) => {
      creator(context);
      return importUrl(request.url, authorOf(context), request.allowDuplicate);
    },
    'import:migrationStart': async (request, context) => {
      creator(context);
      return migrations.start(request, authorOf(context));
    },
    'import:migrationStop': async (request, context) => {
      creator(context);
      return migrations.stop(request.id);
    },
    'import:migrations': async (_request, context) => {
      creator(context);
      return migrations.list();
    },
    'settings:get': async () => store.settings(),
    'settings:save': async (request, context) => {
      office?.identity.requireAdmin(context, 'session.action.saveSettings');
      return store.saveSettings(request);
    },
    'workspace:problems': async (_request, context) => {
      person(context);
      return store.problemLog();
    },
    'workspace:info': async (_request, context) => ({
      path: store.dir,
      transport: context.transport === 'ipc' ? 'ipc' : 'http',
    }),

    'session:get': async (_request, context) => (office ? office.identity.session(context) : unavailable()),
    'session:setup': async (request, context) => (office ? office.identity.setup(request, context) : unavailable()),
    'session:signIn': async (request, context) => (office ? office.identity.signIn(request, context) : unavailable()),
    'session:signOut': async (_request, context) => (office ? office.identity.signOut(context) : unavailable()),
    'people:list': async (_request, context) => (office ? office.identity.listPeople(context) : unavailable()),
    'people:save': async (request, context) => (office ? office.identity.savePerson(request, context) : unavailable()),
    'people:setPassword': async (request, context) => (office ? office.identity.setPassword(request, context) : unavailable()),
    'people:keys': async (_request, context) => (office ? office.identity.listKeys(context) : unavailable()),
    'people:revokeKey': async (request, context) => (office ? office.identity.revokeKey(request, context) : unavailable()),
    'review:chainGet': async (_request, context) => (office ? office.review.chain(context) : unavailable()),
    'review:chainSave': async (request, context) => (office ? office.review.saveChain(request, context) : unavailable()),
    'review:submit': async (request, context) => (office ? office.review.submit(request, context) : unavailable()),
    'review:queue': async (_request, context) => (office ? office.review.queue(context) : unavailable()),
    'review:get': async (request, context) => (office ? office.review.view(request.id, context) : unavailable()),
    'review:approve': async (request, context) => (office ? office.review.approve(request, context) : unavailable()),
    'review:requestChanges': async (request, context) => (office ? office.review.requestChanges(request, context) : unavailable()),
    'review:comment': async (request, context) => (office ? office.review.comment(request, context) : unavailable()),
    'review:commentUpdate': async (request, context) => (office ? office.review.updateComment(request, context) : unavailable()),
    'review:diff': async (request, context) => (office ? office.review.diff(request, context) : unavailable()),
    'review:signoff': async (request, context) => (office ? office.signoff.signoff(request, context) : unavailable()),
    'package:export': async (request, context) => (office ? office.transfer.exportPackageFile(request, context) : unavailable()),
    'package:verify': async (request, context) => (office ? office.transfer.verifyPackageData(request, context) : unavailable()),
    'package:import': async (request, context) => (office ? office.transfer.importPackageData(request, context) : unavailable()),
    'keys:exportTrusted': async (_request, context) => (office ? office.transfer.exportTrusted(context) : unavailable()),
    'keys:importTrusted': async (request, context) => (office ? office.transfer.importTrusted(request, context) : unavailable()),

    'sites:list': async (_request, context) => (publish ? publish.sites.listSites(context) : noPublishing()),
    'sites:get': async (request, context) => (publish ? publish.sites.getSite(request.id, context) : noPublishing()),
    'sites:save': async (request, context) => (publish ? publish.sites.saveSite(request, context) : noPublishing()),
    'preview:render': async (request, context) => (publish ? publish.preview.render(request, context) : noPublishing()),
    'targets:setCredential': async (request, context) => (publish ? publish.sites.setCredential(request, context) : noPublishing()),
    'targets:test': async (request, context) => (publish ? publish.sites.testConnection(request, context) : noPublishing()),
    'publish:enqueue': async (request, context) => (publish ? publish.outbox.enqueue(request, context) : noPublishing()),
    'publish:jobs': async (request, context) => (publish ? publish.outbox.jobs(request, context) : noPublishing()),
    'publish:receipts': async (request, context) => (publish ? publish.outbox.receipts(request, context) : noPublishing()),
    'publish:retry': async (request, context) => (publish ? publish.outbox.retry(request, context) : noPublishing()),
    'publish:pending': async (_request, context) => (office?.pending ? office.pending.list(context) : noPublishing()),
    'notifications:list': async (_request, context) => (office?.notifications ? office.notifications.list(context) : unavailable()),
    'notifications:markRead': async (request, context) =>
      office?.notifications ? office.notifications.markRead(request, context) : unavailable(),
    'sync:status': async (request, context) => (office?.sync ? office.sync['sync:status'](request, context) : unavailable()),
    'sync:now': async (request, context) => (office?.sync ? office.sync['sync:now'](request, context) : unavailable()),
    'sync:log': async (request, context) => (office?.sync ? office.sync['sync:log'](request, context) : unavailable()),
    'sync:articleStates': async (request, context) => (office?.sync ? office.sync['sync:articleStates'](request, context) : unavailable()),
    'sync:conflict': async (request, context) => (office?.sync ? office.sync['sync:conflict'](request, context) : unavailable()),
    'sync:resolveConflict': async (request, context) =>
      office?.sync ? office.sync['sync:resolveConflict'](request, context) : unavailable(),
    'office:join': async (request, context) => (office?.sync ? office.sync['office:join'](request, context) : unavailable()),

    'proofread:packs': async (_request, context) => {
      person(context);
      return proofread ? proofread.listPacks() : noProofreading();
    },
    'proofread:savePack': async (request, context) => (proofread ? proofread.savePack(request, context) : noProofreading()),
    'proofread:addOptionalPack': async (request, context) => (proofread ? proofread.addOptionalPack(request.id, context) : noProofreading()),
    'proofread:deletePack': async (request, context) => (proofread ? proofread.deletePack(request.id, context) : noProofreading()),
    'proofread:previewDefaultUpdate': async (request, context) => (proofread ? proofread.previewDefaultUpdate(request, context) : noProofreading()),
    'proofread:acceptDefaultUpdate': async (request, context) => (proofread ? proofread.acceptDefaultUpdate(request, context) : noProofreading()),
    'proofread:exportPack': async (request, context) => {
      person(context);
      return proofread ? proofread.exportPack(request.id, request.format) : noProofreading();
    },
    'proofread:check': async (request, context) => (proofread ? proofread.check(request.id, context) : noProofreading()),
    'proofread:override': async (request, context) => (proofread ? proofread.override(request, context) : noProofreading()),
  });
}
