import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  CallContext,
  ExportedFile,
  PackageImportItem,
  PackageImportResult,
  PackageVerifyResult,
  ParsedRequestOf,
} from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { Revision } from '../../../shared/domain/article';
import { canonicalJson, contentHash } from '../../../shared/workflow/canonical';
import type { IdentityService } from '../identity/identity-service';
import { exportTrustedKeys, KeyError, parseTrustedKeys } from '../identity/keys';
import type { PeopleDirectory } from '../identity/people-directory';
import { t } from '../messages';
import { exportName } from '../review/file-name';
import type { ReviewStore } from '../review/review-store';
import { mimeForAsset } from '../store/assets';
import type { WorkspaceStore } from '../store/workspace-store';
import { buildPackage, PACKAGE_EXTENSION, type PackageArticle, verifyPackage } from './package';

/** What {@link TransferService} works with. */
export interface TransferServiceDeps {
  store: WorkspaceStore;
  /** The trusted keys packages are verified against. */
  directory: PeopleDirectory;
  identity: IdentityService;
  /** Review state and audit trails travel with the articles. */
  reviews: ReviewStore;
  now?: () => Date;
}

/** Strict base64 → bytes (a package that is not base64 must not be "repaired"). */
export function decodeBase64Strict(text: string): Uint8Array {
  const trimmed = text.replace(/\s+/g, '');
  if (trimmed.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(trimmed)) {
    throw new ApiError('invalid_request', t('session.error.notBase64'));
  }
  return new Uint8Array(Buffer.from(trimmed, 'base64'));
}

/**
 * Moving work between workstations that share no network: signed
 * `.gazette-package` files of articles with their review record, and the
 * trusted public keys those packages are checked against.
 */
export class TransferService {
  readonly #store: WorkspaceStore;
  readonly #directory: PeopleDirectory;
  readonly #identity: IdentityService;
  readonly #reviews: ReviewStore;
  readonly #now: () => Date;

  constructor(deps: TransferServiceDeps) {
    this.#store = deps.store;
    this.#directory = deps.directory;
    this.#identity = deps.identity;
    this.#reviews = deps.reviews;
    this.#now = deps.now ?? (() => new Date());
  }

  #iso(): string {
    return this.#now().toISOString();
  }

  async #packageArticle(id: string): Promise<PackageArticle> {
    const article = await this.#store.get(id);
    const folder = this.#store.articleFolder(id);
    const review = await this.#reviews.storedState(id);
    const events = await this.#reviews.events(id);
    const revisions: Revision[] = [];
    for (const summary of await this.#store.versions(id)) revisions.push(await this.#store.getVersion(id, summary.id));
    const assets: PackageArticle['assets'] = [];
    const names = await readdir(join(folder, 'assets')).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const path = this.#store.assetPath(id, `assets/${name}`);
      if (!path || name.includes('.tmp-')) continue;
      assets.push({ name, bytes: new Uint8Array(await readFile(path)), mediaType: mimeForAsset(name) });
    }
    return { article, review, events, revisions, assets };
  }

  /** Builds a signed package of `ids` with the key of the signed-in person. */
  async exportPackage(ids: readonly string[], context: CallContext): Promise<{ fileName: string; bytes: Uint8Array }> {
    const actor = this.#identity.requirePerson(context);
    const key = this.#identity.signingKey(context, actor);
    const articles: PackageArticle[] = [];
    for (const id of [...new Set(ids)]) articles.push(await this.#packageArticle(id));
    const now = this.#iso();
    const bytes = await buildPackage(articles, { key, name: actor.name }, now);
    const first = articles[0]?.article.meta.title || 'gazette';
    const suffix = articles.length > 1 ? `-${articles.length}` : '';
    return { fileName: `${exportName(first)}${suffix}-${now.slice(0, 10)}${PACKAGE_EXTENSION}`, bytes };
  }

  /** package:export */
  async exportPackageFile(request: ParsedRequestOf<'package:export'>, context: CallContext): Promise<ExportedFile> {
    const { fileName, bytes } = await this.exportPackage(request.ids, context);
    return { fileName, mime: 'application/octet-stream', content: Buffer.from(bytes).toString('base64'), encoding: 'base64' };
  }

  /** Verifies package bytes against this workstation's trusted keys; never writes. */
  async verifyPackageBytes(bytes: Uint8Array): Promise<PackageVerifyResult> {
    const verification = await verifyPackage(bytes, this.#directory.trustedKeys());
    if (!verification.ok) {
      return { ok: false, checks: verification.checks, error: verification.error.message, errorCode: verification.error.code };
    }
    return {
      ok: true,
      checks: verification.checks,
      exporter: verification.package.exporter,
      articles: verification.package.articles.map((a) => ({
        id: a.article.id,
        title: a.article.meta.title,
        contentHash: a.contentHash,
        status: a.review?.status ?? a.article.status,
        approvals: a.review?.approvals.length ?? 0,
      })),
    };
  }

  /** package:verify */
  verifyPackageData(request: ParsedRequestOf<'package:verify'>, context: CallContext): Promise<PackageVerifyResult> {
    this.#identity.requirePerson(context);
    return this.verifyPackageBytes(decodeBase64Strict(request.dataBase64));
  }

  /**
   * Imports a verified package. Nothing is written unless every check passed.
   * New articles keep their id and review record; an article that exists here
   * with other content is imported beside it as a copy (never overwritten);
   * identical content is left alone, except that approvals made elsewhere on
   * that exact text are taken over when the local audit trail is a prefix of
   * the package's.
   */
  async importPackageBytes(bytes: Uint8Array, context: CallContext): Promise<PackageImportResult> {
    const actor = this.#identity.requireCreator(context);
    const verification = await verifyPackage(bytes, this.#directory.trustedKeys());
    if (!verification.ok) {
      return { ok: false, checks: verification.checks, error: verification.error.message, errorCode: verification.error.code, items: [] };
    }
    const items: PackageImportItem[] = [];
    const exporterName = verification.package.exporter.name;
    for (const entry of verification.package.articles) {
      const { article } = entry;
      const local = this.#store.summary(article.id);
      if (!local) {
        await this.#store.adopt({ ...article, status: entry.review?.status ?? article.status }, entry.revisions, entry.assets);
        if (entry.review) await this.#reviews.writeState(article.id, entry.review);
        await this.#reviews.append(article.id, entry.events);
        items.push({ sourceId: article.id, title: article.meta.title, outcome: 'created', articleId: article.id, conflictOf: null });
        continue;
      }
      const outcome = await this.#reviews.run(article.id, async () => {
        const current = await this.#store.get(article.id);
        const same = (await contentHash(current.meta, current.doc)) === entry.contentHash;
        if (!same) return null;
        const localEvents = await this.#reviews.events(article.id);
        const isPrefix =
          entry.events.length > localEvents.length &&
          localEvents.every((e, i) => canonicalJson(e) === canonicalJson(entry.events[i]));
        if (entry.review && isPrefix) {
          await this.#reviews.writeState(article.id, entry.review);
          await this.#reviews.append(article.id, entry.events.slice(localEvents.length));
          await this.#store.setStatus(article.id, entry.review.status);
          return 'updated' as const;
        }
        return 'identical' as const;
      });
      if (outcome) {
        items.push({ sourceId: article.id, title: article.meta.title, outcome, articleId: article.id, conflictOf: null });
        continue;
      }
      // Approvals are signed for the original id, so the copy starts as a draft of its own.
      const copyId = this.#store.newArticleId();
      const title = `${article.meta.title}${t('session.import.copySuffix')}`;
      await this.#store.adopt(
        {
          ...article,
          id: copyId,
          status: 'draft',
          trashedAt: null,
          conflictOf: article.id,
          meta: { ...article.meta, title },
        },
        entry.revisions.map((r) => ({ ...r, articleId: copyId })),
        entry.assets,
      );
      await this.#reviews.append(copyId, [
        {
          type: 'edit',
          at: this.#iso(),
          actorId: actor.id,
          contentHash: null,
          previousHash: null,
          stageId: null,
          note: t('session.revision.imported', { name: exporterName }),
        },
      ]);
      items.push({ sourceId: article.id, title, outcome: 'copy', articleId: copyId, conflictOf: article.id });
    }
    return { ok: true, checks: verification.checks, items };
  }

  /** package:import */
  importPackageData(request: ParsedRequestOf<'package:import'>, context: CallContext): Promise<PackageImportResult> {
    this.#identity.requireCreator(context);
    return this.importPackageBytes(decodeBase64Strict(request.dataBase64), context);
  }

  /** keys:exportTrusted (admin) */
  exportTrusted(context: CallContext): ExportedFile {
    this.#identity.requireAdmin(context, 'session.action.manageKeys');
    return {
      fileName: 'gazette-trusted-keys.json',
      mime: 'application/json',
      content: exportTrustedKeys(this.#directory.trustedKeys()),
    };
  }

  /** keys:importTrusted (admin): merges by key id. */
  async importTrusted(request: ParsedRequestOf<'keys:importTrusted'>, context: CallContext): Promise<{ added: number; total: number }> {
    this.#identity.requireAdmin(context, 'session.action.manageKeys');
    let keys: ReturnType<typeof parseTrustedKeys>;
    try {
      keys = parseTrustedKeys(request.text);
    } catch (error) {
      if (error instanceof KeyError) throw new ApiError('invalid_request', error.message);
      throw error;
    }
    const added = await this.#directory.addTrustedKeys(keys);
    return { added, total: this.#directory.trustedKeys().length };
  }
}
