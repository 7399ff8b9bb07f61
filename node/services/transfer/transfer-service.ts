import { createHash } from 'node:crypto';
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
import type { RecordEntry } from '../../../shared/record/entry';
import { canonicalJson } from '../../../shared/workflow/canonical';
import type { IdentityService } from '../identity/identity-service';
import { exportTrustedKeys, KeyError, parseTrustedKeys } from '../identity/keys';
import type { PeopleDirectory } from '../identity/people-directory';
import { t } from '../messages';
import { exportName } from '../review/file-name';
import { nodeRecordCrypto } from '../record/crypto';
import type { OfficePolicyStore } from '../record/policy-store';
import type { ArticleRecordStore } from '../record/record-store';
import { type ReviewStore, statusOf } from '../review/review-store';
import { ArticleAssets } from '../store/article-assets';
import { mimeForAsset } from '../store/assets';
import type { WorkspaceStore } from '../store/workspace-store';
import {
  buildPackage,
  PACKAGE_EXTENSION,
  type PackageArticle,
  PackageError,
  type PackageOffice,
  type VerifiedPackage,
  type VerifiedPackageArticle,
  verifyPackage,
} from './package';

/** What {@link TransferService} works with. */
export interface TransferServiceDeps {
  store: WorkspaceStore;
  /** The trusted-key list (kept for the keys:* channels). */
  directory: PeopleDirectory;
  identity: IdentityService;
  /** Review runs per-article operations and keeps the status cache. */
  reviews: ReviewStore;
  /** Each article's signed record: what travels instead of a review state. */
  records: ArticleRecordStore;
  /** The office policy chain: packages carry it and are judged by it. */
  policies: OfficePolicyStore;
  now?: () => Date;
  /**
   * Called after a package was imported, with its SHA-256: a workspace joined
   * to an office server records the import as a signed commit naming it
   * (sync/workspace-sync recordPackageImport). Injected, so a workspace that
   * never joined loads no sync code. Its failure never undoes the import.
   */
  onImported?: (imported: { sha256: string; articleIds: string[]; context: CallContext }) => Promise<void>;
  /**
   * Runs the import's writes and `onImported` as one step that no sync round
   * overlaps (sync/sync-service exclusive). Absent: run as they come.
   */
  exclusive?: <T>(act: () => Promise<T>) => Promise<T>;
}

/** Strict base64 → bytes (a package that is not base64 must not be "repaired"). */
export function decodeBase64Strict(text: string): Uint8Array {
  const trimmed = text.replace(/\s+/g, '');
  if (trimmed.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(trimmed)) {
    throw new ApiError('invalid_request', t('session.error.notBase64'));
  }
  return new Uint8Array(Buffer.from(trimmed, 'base64'));
}

/** What importing does with one verified article, decided for all before anything is written. */
type ImportPlan =
  | { kind: 'create'; entry: VerifiedPackageArticle }
  | { kind: 'identical'; entry: VerifiedPackageArticle }
  | { kind: 'update'; entry: VerifiedPackageArticle; from: number; replaceContent: boolean }
  | { kind: 'copy'; entry: VerifiedPackageArticle };

/**
 * Moving work between workstations that share no network: signed
 * `.gazette-package` files of articles with their signed records and the
 * office policy, judged on arrival by this office's root key alone.
 */
export class TransferService {
  readonly #store: WorkspaceStore;
  readonly #directory: PeopleDirectory;
  readonly #identity: IdentityService;
  readonly #reviews: ReviewStore;
  readonly #records: ArticleRecordStore;
  readonly #policies: OfficePolicyStore;
  readonly #now: () => Date;
  readonly #onImported: TransferServiceDeps['onImported'];
  readonly #exclusive: NonNullable<TransferServiceDeps['exclusive']>;

  constructor(deps: TransferServiceDeps) {
    this.#onImported = deps.onImported;
    this.#exclusive = deps.exclusive ?? ((act) => act());
    this.#store = deps.store;
    this.#directory = deps.directory;
    this.#identity = deps.identity;
    this.#reviews = deps.reviews;
    this.#records = deps.records;
    this.#policies = deps.policies;
    this.#now = deps.now ?? (() => new Date());
  }

  #iso(): string {
    return this.#now().toISOString();
  }

  async #office(): Promise<PackageOffice> {
    const rootKeyId = await this.#policies.rootKeyId();
    if (rootKeyId === null) throw new ApiError('conflict', t('record.problem.policy_missing'));
    return { rootKeyId, policy: await this.#policies.signedVersions(), crypto: nodeRecordCrypto };
  }

  async #packageArticle(id: string): Promise<PackageArticle> {
    const article = await this.#store.get(id);
    const folder = this.#store.articleFolder(id);
    const record = await this.#records.entries(id);
    const revisions: Revision[] = [];
    for (const summary of await this.#store.versions(id)) revisions.push(await this.#store.getVersion(id, summary.id));
    const assets: PackageArticle['assets'] = [];
    const names = await readdir(join(folder, 'assets')).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const path = this.#store.assetPath(id, `assets/${name}`);
      if (!path || name.includes('.tmp-')) continue;
      assets.push({ name, bytes: new Uint8Array(await readFile(path)), mediaType: mimeForAsset(name) });
    }
    return { article, record, revisions, assets };
  }

  /**
   * Builds a signed package of `ids` with the key of the signed-in person,
   * also when the policy revoked it: their unsynced work can still leave the
   * desktop, and the importer takes only what was signed while it was valid.
   */
  async exportPackage(ids: readonly string[], context: CallContext): Promise<{ fileName: string; bytes: Uint8Array }> {
    const actor = this.#identity.requirePerson(context);
    const key = this.#identity.packageKey(context, actor);
    const articles: PackageArticle[] = [];
    for (const id of [...new Set(ids)]) articles.push(await this.#packageArticle(id));
    const now = this.#iso();
    const bytes = await buildPackage(articles, await this.#policies.signedVersions(), { key, name: actor.name }, now);
    const first = articles[0]?.article.meta.title || 'gazette';
    const suffix = articles.length > 1 ? `-${articles.length}` : '';
    return { fileName: `${exportName(first)}${suffix}-${now.slice(0, 10)}${PACKAGE_EXTENSION}`, bytes };
  }

  /** package:export */
  async exportPackageFile(request: ParsedRequestOf<'package:export'>, context: CallContext): Promise<ExportedFile> {
    const { fileName, bytes } = await this.exportPackage(request.ids, context);
    return { fileName, mime: 'application/octet-stream', content: Buffer.from(bytes).toString('base64'), encoding: 'base64' };
  }

  /** Verifies package bytes against this workstation's office; never writes. */
  async verifyPackageBytes(bytes: Uint8Array): Promise<PackageVerifyResult> {
    const verification = await verifyPackage(bytes, await this.#office());
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
        status: a.verdict.state.status,
        approvals: a.verdict.state.approvals.filter((x) => x.contentHash === a.contentHash).length,
      })),
    };
  }

  /** package:verify */
  verifyPackageData(request: ParsedRequestOf<'package:verify'>, context: CallContext): Promise<PackageVerifyResult> {
    this.#identity.requirePerson(context);
    return this.verifyPackageBytes(decodeBase64Strict(request.dataBase64));
  }

  /** What to do with one verified article; throws PackageError when the package must be refused. */
  async #plan(entry: VerifiedPackageArticle): Promise<ImportPlan> {
    const { article } = entry;
    const title = article.meta.title || article.id;
    if (!this.#store.summary(article.id)) {
      const tombstone = await this.#store.tombstone(article.id);
      if (tombstone) throw new PackageError('purged', { title, at: tombstone.purgedAt });
      return { kind: 'create', entry };
    }
    const local = await this.#records.entries(article.id);
    const incoming = entry.record;
    const common = Math.min(local.length, incoming.length);
    let sharedPrefix = true;
    for (let i = 0; i < common; i++) {
      if (canonicalJson(local[i]) !== canonicalJson(incoming[i])) {
        sharedPrefix = false;
        break;
      }
    }
    // Signed acts happened here after the package was made (a withdrawal, a
    // return, a reopening): taking it would roll the article back.
    if (sharedPrefix && local.length > incoming.length) {
      throw new PackageError('stale', { title, local: local.length, incoming: incoming.length });
    }
    const localHash = await this.#reviews.currentHash(article.id);
    if (sharedPrefix && localHash === entry.contentHash) {
      return incoming.length === local.length ? { kind: 'identical', entry } : { kind: 'update', entry, from: local.length, replaceContent: false };
    }
    if (sharedPrefix && incoming.length > local.length && local.length > 0) {
      // The package's record continues this one (a reviewer's correction made
      // there): its content replaces this copy's if nothing was changed here
      // since the last signed entry.
      const verdict = await this.#reviews.verdict(article.id, localHash);
      if (verdict.state.contentHash === localHash) return { kind: 'update', entry, from: local.length, replaceContent: true };
    }
    return { kind: 'copy', entry };
  }

  /**
   * Imports a verified package, all or nothing: every article is planned
   * first, and a purged article, an older record than this machine's or any
   * failed check refuses the whole package with the reason. New articles keep
   * their id and signed record; a record that continues the local one is
   * appended (and its content taken when nothing changed here); a local text
   * that went its own way keeps its place and the package's is imported
   * beside it as a draft copy.
   */
  async importPackageBytes(bytes: Uint8Array, context: CallContext): Promise<PackageImportResult> {
    const actor = this.#identity.requireCreator(context);
    const verification = await verifyPackage(bytes, await this.#office());
    if (!verification.ok) {
      return { ok: false, checks: verification.checks, error: verification.error.message, errorCode: verification.error.code, items: [] };
    }
    const verified = verification.package;
    const plans: ImportPlan[] = [];
    try {
      for (const entry of verified.articles) plans.push(await this.#plan(entry));
    } catch (error) {
      if (!(error instanceof PackageError)) throw error;
      return { ok: false, checks: verification.checks, error: error.message, errorCode: error.code, items: [] };
    }
    try {
      for (const plan of plans) if (plan.kind !== 'identical') ArticleAssets.check(plan.entry.assets);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, checks: verification.checks, error: t('package.error.asset', { title: '', detail }), errorCode: 'asset', items: [] };
    }
    const items = await this.#exclusive(() => this.#write(bytes, verified, plans, actor, context));
    return { ok: true, checks: verification.checks, items };
  }

  /** Writes what was planned, then tells the office sync (onImported). */
  async #write(
    bytes: Uint8Array,
    verified: VerifiedPackage,
    plans: readonly ImportPlan[],
    actor: { id: string; name: string },
    context: CallContext,
  ): Promise<PackageImportItem[]> {
    if (verified.newPolicy.length > 0) await this.#policies.adopt(verified.newPolicy);

    const items: PackageImportItem[] = [];
    const exporterName = verified.exporter.name;
    for (const plan of plans) {
      const { article, record } = plan.entry;
      const item = { sourceId: article.id, title: article.meta.title, articleId: article.id, conflictOf: null };
      if (plan.kind === 'create') {
        await this.#store.adopt({ ...article, status: statusOf(plan.entry.verdict, 'draft') }, plan.entry.revisions, plan.entry.assets);
        await this.#records.adopt(article.id, verified.policy, record as RecordEntry[]);
        await this.#reviews.syncStatus(article.id);
        items.push({ ...item, outcome: 'created' });
      } else if (plan.kind === 'identical') {
        items.push({ ...item, outcome: 'identical' });
      } else if (plan.kind === 'update') {
        await this.#reviews.run(article.id, async () => {
          // Planned before this article's turn: a signed act added here since then means the plan no longer holds.
          const now = await this.#records.entries(article.id);
          if (now.length !== plan.from) {
            throw new ApiError('conflict', t('package.error.raced', { title: article.meta.title || article.id }));
          }
          if (plan.replaceContent) {
            await this.#store.replaceAssets(article.id, plan.entry.assets);
            await this.#store.save(article.id, article.meta, article.doc);
          }
          await this.#records.adopt(article.id, verified.policy, record.slice(plan.from) as RecordEntry[]);
          await this.#reviews.syncStatus(article.id);
        });
        items.push({ ...item, outcome: 'updated' });
      } else {
        // Approvals are signed for the original id, so the copy starts as a draft of its own.
        const copyId = this.#store.newArticleId();
        const title = `${article.meta.title}${t('session.import.copySuffix')}`;
        await this.#store.adopt(
          { ...article, id: copyId, status: 'draft', trashedAt: null, conflictOf: article.id, meta: { ...article.meta, title } },
          plan.entry.revisions.map((r) => ({ ...r, articleId: copyId })),
          plan.entry.assets,
        );
        await this.#store.saveVersion(copyId, t('session.revision.imported', { name: exporterName }), {
          author: { id: actor.id, name: actor.name },
          reason: 'import',
        });
        items.push({ sourceId: article.id, title, outcome: 'copy', articleId: copyId, conflictOf: article.id });
      }
    }
    if (this.#onImported) {
      const articleIds = [...new Set(items.filter((i) => i.outcome !== 'identical').map((i) => i.articleId))];
      try {
        await this.#onImported({ sha256: createHash('sha256').update(bytes).digest('hex'), articleIds, context });
      } catch {
        // The import stands; the next sync round finds the changed files and sends them.
      }
    }
    return items;
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
