import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  CallContext,
  DiffSide,
  ExportedFile,
  LocatedComment,
  PackageImportItem,
  PackageImportResult,
  PackageVerifyResult,
  ParsedRequestOf,
  PersonSummary,
  ReviewDiff,
  ReviewQueue,
  ReviewView,
  SessionInfo,
} from '../../../shared/api/contract';
import { ApiError, reviewApiError } from '../../../shared/api/errors';
import {
  type Article,
  ArticleMetaCompleteSchema,
  type ArticleSummary,
  type Revision,
  type RevisionSummary,
} from '../../../shared/domain/article';
import { docToPlainText } from '../../../shared/domain/doc';
import { type MessageKey, type MessageParams, translate } from '../../../shared/i18n';
import type { Finding } from '../../../shared/proofread/types';
import { createAnchor, locateAnchor, type TextAnchor } from '../../../shared/workflow/anchor';
import { canonicalJson, contentHash } from '../../../shared/workflow/canonical';
import { statusLabel } from '../../../shared/workflow/messages';
import {
  type Approval,
  approvalStatement,
  approve,
  can,
  comment,
  currentStage,
  initialReviewState,
  isFullyApproved,
  type Person,
  type ReviewAction,
  type ReviewChain,
  ReviewError,
  type ReviewEvent,
  type ReviewState,
  recordEdit,
  requestChanges,
  reviewQueue,
  submit,
  type TransitionResult,
} from '../../../shared/workflow/review-chain';
import { type SignoffSheet, type SignatureStatus, signoffHtml } from '../../../shared/workflow/signoff';
import { diffRevisions } from '../../../shared/workflow/text-diff';
import { mimeForAsset } from '../store/assets';
import { KeyedQueue } from '../store/keyed-queue';
import type { WorkspaceStore } from '../store/workspace-store';
import { CHAIN_FILE, type Directory, PEOPLE_FILE, type PersonRecord, TRUSTED_KEYS_FILE } from './directory';
import {
  createKeyPair,
  DEFAULT_SCRYPT,
  exportTrustedKeys,
  hashPassword,
  KeyError,
  type KeyProtector,
  parseTrustedKeys,
  passwordProtector,
  reprotectKeyPair,
  type ScryptParams,
  signApproval,
  trustedKeyFor,
  type UnlockedKey,
  unlockKeyPair,
  verifyBytes,
  verifyPassword,
} from './keys';
import { buildPackage, PACKAGE_EXTENSION, type PackageArticle, verifyPackage } from './package';
import { appendEvents, readEvents, readReviewState, writeReviewState } from './review-files';

/** Id under which the CLI's issue-2 commands act: whoever runs the CLI already holds the files. */
export const CLI_OPERATOR_ID = 'cli';
/** Consecutive autosaves by the same person within this window leave one audit entry. */
export const EDIT_MERGE_WINDOW_MS = 5 * 60_000;
const PASSWORD_KIND = 'scrypt-aes-256-gcm';

/** Options of {@link ReviewService}. */
export interface ReviewServiceOptions {
  now?: () => Date;
  log?: (message: string) => void;
  /**
   * Seals new private keys. The desktop app passes one backed by Electron
   * safeStorage; by default (web host, CLI) the person's password seals them.
   */
  keyProtector?: (password: string) => KeyProtector;
  /** Delay after a failed sign-in, against password guessing. */
  failureDelayMs?: number;
  /** scrypt cost for new password hashes and password-sealed keys (tests lower it). */
  scrypt?: ScryptParams;
  /** Finds a CJK font and renders the PDF sign-off sheet; injectable so the service stays plain Node. */
  renderPdf?: (sheet: SignoffSheet) => Promise<Uint8Array>;
}

interface Session {
  personId: string;
  /** Opened with the password at sign-in; in memory only. Null when the key could not be opened here. */
  key: UnlockedKey | null;
  /** Why `key` is null (e.g. a key sealed by the desktop's safeStorage, opened in the web host). */
  keyError: string | null;
}

function t(key: MessageKey, params?: MessageParams): string {
  return translate('zh-CN', key, params);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function summaryOf(record: PersonRecord): PersonSummary {
  const { id, name, unit, roles, active } = record.person;
  return { id, name, unit, roles: [...roles], active, keyId: record.key?.keyId ?? null };
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
 * Review and approval on the main side: sessions, people, the review chain,
 * every transition with its permission check, persistence of review state,
 * audit trail and revisions, sign-off sheets and transfer packages.
 */
export class ReviewService {
  readonly #store: WorkspaceStore;
  readonly #directory: Directory;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;
  readonly #keyProtector: ((password: string) => KeyProtector) | undefined;
  readonly #failureDelayMs: number;
  readonly #scrypt: ScryptParams;
  readonly #renderPdf: ((sheet: SignoffSheet) => Promise<Uint8Array>) | undefined;
  readonly #sessions = new Map<string, Session>();
  /** One review operation per article at a time, so read-modify-write of review.json never interleaves. */
  readonly #ops = new KeyedQueue();
  /** Proofreading (issue 5): refuses submission while errors remain; set by openWorkspace. */
  #submitGate: ((article: Article) => Promise<void>) | null = null;
  /** The last audit event of each article, for merging autosave edits. */
  readonly #lastEvent = new Map<string, ReviewEvent | null>();
  /** Guards people.json against two concurrent read-modify-writes. */
  readonly #peopleOps = new KeyedQueue();

  constructor(store: WorkspaceStore, directory: Directory, options: ReviewServiceOptions = {}) {
    this.#store = store;
    this.#directory = directory;
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log ?? (() => {});
    this.#keyProtector = options.keyProtector;
    this.#failureDelayMs = options.failureDelayMs ?? 300;
    this.#scrypt = options.scrypt ?? DEFAULT_SCRYPT;
    this.#renderPdf = options.renderPdf;
  }

  #iso(): string {
    return this.#now().toISOString();
  }

  // ───────────────────────────── identity ─────────────────────────────

  /**
   * The local operator the CLI acts as without `--as`: whoever runs the CLI
   * already holds the workspace files, so it may script setup (people add) and
   * imports. It has no key, so it cannot sign, and review transitions are not
   * offered on the CLI.
   */
  operator(): Person {
    return { id: CLI_OPERATOR_ID, name: t('session.operator'), unit: '', roles: ['writer', 'admin'], active: true };
  }

  /** The signed-in (active) person of this caller, or null. */
  personOf(context: CallContext): Person | null {
    const session = context.sessionId ? this.#sessions.get(context.sessionId) : undefined;
    if (!session) return null;
    const record = this.#directory.record(session.personId);
    return record?.person.active ? record.person : null;
  }

  /** The caller as a person; the CLI without `--as` acts as the local operator. */
  requirePerson(context: CallContext): Person {
    const person = this.personOf(context);
    if (person) return person;
    if (context.transport === 'cli') return this.operator();
    throw new ApiError('unauthorized', t('session.error.signInRequired'));
  }

  /** The caller, who must be an admin. */
  requireAdmin(context: CallContext, action: MessageKey): Person {
    const person = this.requirePerson(context);
    if (!person.roles.includes('admin')) throw new ApiError('forbidden', t('session.error.adminOnly', { action: t(action) }));
    return person;
  }

  /** The caller, who must be a writer (or admin): creating and importing articles. */
  requireCreator(context: CallContext): Person {
    const person = this.requirePerson(context);
    if (!person.roles.includes('writer') && !person.roles.includes('admin')) {
      throw new ApiError('forbidden', t('session.error.writerOnly', { action: t('session.action.create') }));
    }
    return person;
  }

  #nameOf(id: string): string {
    if (id === CLI_OPERATOR_ID) return t('session.operator');
    return (
      this.#directory.record(id)?.person.name ?? this.#directory.trustedKeys().find((k) => k.personId === id)?.name ?? id
    );
  }

  #protectorFor(password: string): KeyProtector {
    return this.#keyProtector ? this.#keyProtector(password) : passwordProtector(password, this.#scrypt);
  }

  async #unlock(record: PersonRecord, password: string): Promise<Pick<Session, 'key' | 'keyError'>> {
    if (!record.key) return { key: null, keyError: null };
    // A key sealed by the password opens anywhere; one sealed by safeStorage only in the desktop app.
    const protector =
      record.key.privateKey.kind === PASSWORD_KIND || !this.#keyProtector
        ? passwordProtector(password)
        : this.#keyProtector(password);
    try {
      return { key: await unlockKeyPair(record.key, protector), keyError: null };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.#log(`[review] key of ${record.person.id} not unlocked: ${detail}`);
      return { key: null, keyError: detail };
    }
  }

  /** The caller's unlocked signing key; `forbidden` with the reason when there is none. */
  #signingKey(context: CallContext, actor: Person): UnlockedKey {
    const session = this.#sessions.get(context.sessionId);
    if (session?.key && session.key.personId === actor.id) return session.key;
    const reason = t('session.error.noKey', { name: actor.name });
    throw new ApiError('forbidden', session?.keyError ? `${reason}（${session.keyError}）` : reason);
  }

  async #newRecord(person: Person, password: string): Promise<PersonRecord> {
    const now = this.#iso();
    const key = await createKeyPair(person.id, this.#protectorFor(password), now);
    return { person, passwordHash: await hashPassword(password, this.#scrypt), key, createdAt: now, updatedAt: now };
  }

  async #storeRecord(record: PersonRecord): Promise<void> {
    await this.#directory.putPerson(record);
    if (record.key) {
      // People of this workstation sign approvals here: their keys are trusted here.
      await this.#directory.addTrustedKeys([trustedKeyFor(record.key, record.person, record.createdAt)]);
    }
  }

  #newPersonId(): string {
    for (;;) {
      const id = `p${randomBytes(9).toString('base64url')}`;
      if (!this.#directory.record(id)) return id;
    }
  }

  // ───────────────────────────── session:* and people:* ─────────────────────────────

  /** session:get */
  session(context: CallContext): SessionInfo {
    this.#directory.assertReadable(PEOPLE_FILE);
    const person = this.personOf(context);
    const record = person ? this.#directory.record(person.id) : undefined;
    return {
      person: record ? summaryOf(record) : null,
      people: this.#directory
        .people()
        .filter((r) => r.person.active)
        .map(summaryOf),
      needsSetup: this.#directory.needsSetup(),
    };
  }

  /** session:setup — the first person: admin and writer, signed in at once. */
  async setup(request: ParsedRequestOf<'session:setup'>, context: CallContext): Promise<SessionInfo> {
    return this.#peopleOps.run('people', async () => {
      if (!this.#directory.needsSetup()) {
        this.#directory.assertReadable(PEOPLE_FILE);
        throw new ApiError('conflict', t('session.error.setupDone'));
      }
      const person: Person = { id: this.#newPersonId(), name: request.name, unit: request.unit, roles: ['admin', 'writer'], active: true };
      const record = await this.#newRecord(person, request.password);
      await this.#storeRecord(record);
      await this.#open(context, record, request.password);
      return this.session(context);
    });
  }

  async #open(context: CallContext, record: PersonRecord, password: string): Promise<void> {
    if (!context.sessionId) throw new ApiError('unauthorized', t('session.error.signInRequired'));
    this.#sessions.set(context.sessionId, { personId: record.person.id, ...(await this.#unlock(record, password)) });
  }

  /** Checks a password (slowly, with a delay on failure); throws `unauthorized` with a Chinese message. */
  async authenticate(idOrName: string, password: string): Promise<PersonRecord> {
    const record = this.#directory.findByIdOrName(idOrName);
    let ok = false;
    if (record) {
      try {
        ok = await verifyPassword(password, record.passwordHash);
      } catch (error) {
        if (error instanceof KeyError) throw new ApiError('damaged_file', error.message);
        throw error;
      }
    }
    if (!record || !ok) {
      await sleep(this.#failureDelayMs);
      throw new ApiError(
        'unauthorized',
        record ? t('session.error.wrongPassword') : t('session.error.unknownPerson', { name: idOrName }),
      );
    }
    if (!record.person.active) throw new ApiError('unauthorized', t('session.error.inactive', { name: record.person.name }));
    return record;
  }

  /** session:signIn */
  async signIn(request: ParsedRequestOf<'session:signIn'>, context: CallContext): Promise<SessionInfo> {
    const record = await this.authenticate(request.personId, request.password);
    await this.#open(context, record, request.password);
    return this.session(context);
  }

  /** Signs a session in by id or name (the CLI's `--as`). */
  async signInAs(idOrName: string, password: string, context: CallContext): Promise<Person> {
    const record = await this.authenticate(idOrName, password);
    await this.#open(context, record, password);
    return record.person;
  }

  /** session:signOut — forgets the session and its unlocked key. */
  async signOut(context: CallContext): Promise<SessionInfo> {
    this.#sessions.delete(context.sessionId);
    return this.session(context);
  }

  /** people:list */
  listPeople(context: CallContext): PersonSummary[] {
    this.requirePerson(context);
    return this.#directory.people().map(summaryOf);
  }

  /** people:save (admin): create with an initial password, or update profile, roles, active. */
  async savePerson(request: ParsedRequestOf<'people:save'>, context: CallContext): Promise<PersonSummary> {
    this.requireAdmin(context, 'session.action.managePeople');
    return this.#peopleOps.run('people', async () => {
      const existing = request.id ? this.#directory.record(request.id) : undefined;
      if (request.id && !existing) throw new ApiError('not_found', t('session.error.unknownPerson', { name: request.id }));
      const clash = this.#directory.people().find((r) => r.person.name === request.name && r.person.id !== request.id);
      if (clash) throw new ApiError('conflict', t('session.error.duplicateName', { name: request.name }));
      const person: Person = {
        id: existing?.person.id ?? this.#newPersonId(),
        name: request.name,
        unit: request.unit,
        roles: [...new Set(request.roles)],
        active: request.active,
      };
      const adminsLeft = this.#directory
        .people()
        .filter((r) => r.person.id !== person.id && r.person.active && r.person.roles.includes('admin')).length;
      const wasAdmin = existing?.person.active === true && existing.person.roles.includes('admin');
      if (wasAdmin && adminsLeft === 0 && !(person.active && person.roles.includes('admin'))) {
        throw new ApiError('conflict', t('session.error.lastAdmin'));
      }
      let record: PersonRecord;
      if (existing) {
        record = { ...existing, person, updatedAt: this.#iso() };
      } else {
        if (!request.password) throw new ApiError('invalid_request', t('session.error.passwordRequired'));
        record = await this.#newRecord(person, request.password);
      }
      await this.#storeRecord(record);
      return summaryOf(record);
    });
  }

  /** people:setPassword — one's own with the old password; an admin may reset anyone's. */
  async setPassword(request: ParsedRequestOf<'people:setPassword'>, context: CallContext): Promise<{ ok: true }> {
    const actor = this.requirePerson(context);
    const own = actor.id === request.personId;
    if (!own) this.requireAdmin(context, 'session.action.resetPassword');
    return this.#peopleOps.run('people', async () => {
      const record = this.#directory.record(request.personId);
      if (!record) throw new ApiError('not_found', t('session.error.unknownPerson', { name: request.personId }));
      let key = record.key;
      if (own) {
        const old = request.oldPassword ?? '';
        if (!(await verifyPassword(old, record.passwordHash))) {
          await sleep(this.#failureDelayMs);
          throw new ApiError('unauthorized', t('session.error.oldPasswordWrong'));
        }
        if (key && key.privateKey.kind === PASSWORD_KIND) {
          key = await reprotectKeyPair(key, passwordProtector(old), passwordProtector(request.newPassword, this.#scrypt));
        }
      } else if (key && key.privateKey.kind === PASSWORD_KIND) {
        // Without the old password the old private key cannot be opened: issue a new pair.
        // The old public key stays trusted, so approvals signed with it still verify.
        key = await createKeyPair(record.person.id, this.#protectorFor(request.newPassword), this.#iso());
      }
      const updated: PersonRecord = {
        ...record,
        passwordHash: await hashPassword(request.newPassword, this.#scrypt),
        key,
        updatedAt: this.#iso(),
      };
      await this.#storeRecord(updated);
      return { ok: true as const };
    });
  }

  /** review:chainGet */
  chain(context: CallContext): ReviewChain {
    this.requirePerson(context);
    return this.#directory.chain();
  }

  /** review:chainSave (admin) */
  async saveChain(chain: ReviewChain, context: CallContext): Promise<ReviewChain> {
    this.requireAdmin(context, 'session.action.saveChain');
    return this.#directory.saveChain(chain);
  }

  // ───────────────────────────── review state ─────────────────────────────

  async #state(id: string): Promise<ReviewState> {
    const summary = this.#store.summary(id);
    if (!summary) throw new ApiError('not_found', `article ${id} does not exist`);
    const stored = await readReviewState(this.#store.articleFolder(id), id);
    return stored ?? initialReviewState(id, summary.status);
  }

  /** The review state of an article (initial for one never submitted). */
  reviewState(id: string): Promise<ReviewState> {
    return this.#state(id);
  }

  async #lastEventOf(id: string): Promise<ReviewEvent | null> {
    if (!this.#lastEvent.has(id)) {
      const { events } = await readEvents(this.#store.articleFolder(id));
      this.#lastEvent.set(id, events.at(-1) ?? null);
    }
    return this.#lastEvent.get(id) ?? null;
  }

  async #append(id: string, events: ReviewEvent[]): Promise<void> {
    if (events.length === 0) return;
    await appendEvents(this.#store.articleFolder(id), events);
    this.#lastEvent.set(id, events.at(-1) ?? null);
  }

  /** Whether a lone draft edit may be folded into the previous edit entry of the same person. */
  async #mergeable(id: string, events: readonly ReviewEvent[]): Promise<boolean> {
    const [only] = events;
    if (events.length !== 1 || !only || only.type !== 'edit' || only.stageId !== null) return false;
    const last = await this.#lastEventOf(id);
    return (
      last !== null &&
      last.type === 'edit' &&
      last.stageId === null &&
      last.actorId === only.actorId &&
      Date.parse(only.at) - Date.parse(last.at) < EDIT_MERGE_WINDOW_MS
    );
  }

  /**
   * Persists a transition: review.json, the audit lines, the article's status
   * and, when asked for, an immutable revision with its author.
   */
  async #commit(id: string, actor: Person, result: TransitionResult, reason: string): Promise<void> {
    const folder = this.#store.articleFolder(id);
    await writeReviewState(folder, result.state);
    if (!(await this.#mergeable(id, result.events))) await this.#append(id, result.events);
    await this.#store.setStatus(id, result.state.status);
    if (result.revision) {
      const revision = await this.#store.saveVersion(id, result.revision.name, {
        author: { id: actor.id, name: actor.name },
        reason,
      });
      await this.#append(id, [
        {
          type: 'revision',
          at: revision.createdAt,
          actorId: actor.id,
          contentHash: result.state.contentHash,
          revisionId: revision.id,
          name: revision.name,
        },
      ]);
    }
  }

  #toApi(error: unknown): unknown {
    return error instanceof ReviewError ? reviewApiError(error) : error;
  }

  async #transition(
    id: string,
    context: CallContext,
    reason: string,
    run: (state: ReviewState, actor: Person, hash: string, article: Article) => Promise<TransitionResult> | TransitionResult,
  ): Promise<ReviewView> {
    const actor = this.requirePerson(context);
    await this.#ops.run(id, async () => {
      const article = await this.#store.get(id);
      const hash = await contentHash(article.meta, article.doc);
      const state = await this.#state(id);
      let result: TransitionResult;
      try {
        result = await run(state, actor, hash, article);
      } catch (error) {
        throw this.#toApi(error);
      }
      await this.#commit(id, actor, result, reason);
    });
    return this.view(id, context);
  }

  // ───────────────────────────── articles:* under review ─────────────────────────────

  /**
   * articles:save with review rules: refused while locked for the caller; a
   * change of content is recorded (approvals that no longer match are
   * invalidated, a reviewer's correction becomes an attributed revision).
   */
  async saveArticle(
    request: ParsedRequestOf<'articles:save'>,
    context: CallContext,
  ): Promise<{ updatedAt: string; summary: ArticleSummary }> {
    const actor = this.requirePerson(context);
    return this.#ops.run(request.id, async () => {
      const hash = await contentHash(request.meta, request.doc);
      const state = await this.#state(request.id);
      const previous = await this.#store.get(request.id);
      let result: TransitionResult;
      try {
        result = recordEdit(state, actor, {}, this.#iso(), hash);
      } catch (error) {
        throw this.#toApi(error);
      }
      // The text goes to disk first: if the process dies before review.json is
      // written, the stale hash makes the next approval refuse rather than pass.
      const saved = await this.#store.save(request.id, request.meta, request.doc, request.baseUpdatedAt, {
        status: result.state.status,
        conflictOf: previous.conflictOf ?? null,
      });
      if (result.events.length > 0 || result.state !== state) await this.#commit(request.id, actor, result, 'reviewer_edit');
      const summary = this.#store.summary(request.id) ?? saved.summary;
      return { updatedAt: saved.updatedAt, summary };
    });
  }

  /** articles:saveVersion with the author recorded. */
  async saveVersion(request: ParsedRequestOf<'articles:saveVersion'>, context: CallContext): Promise<RevisionSummary> {
    const actor = this.requirePerson(context);
    return this.#ops.run(request.id, async () => {
      const revision = await this.#store.saveVersion(request.id, request.name, {
        author: { id: actor.id, name: actor.name },
        reason: 'manual',
      });
      const article = await this.#store.get(request.id);
      await this.#append(request.id, [
        {
          type: 'revision',
          at: revision.createdAt,
          actorId: actor.id,
          contentHash: await contentHash(article.meta, article.doc),
          revisionId: revision.id,
          name: revision.name,
        },
      ]);
      return revision;
    });
  }

  /** articles:trash — not while the article is in review or approved (except by an admin). */
  assertTrashable(id: string, context: CallContext): void {
    const actor = this.requirePerson(context);
    const status = this.#store.summary(id)?.status;
    if ((status === 'in_review' || status === 'approved') && !actor.roles.includes('admin')) {
      throw new ApiError('forbidden', t('session.error.lockedForTrash', { status: statusLabel(status) }));
    }
  }

  // ───────────────────────────── review:* ─────────────────────────────

  /** Installs the proofreading gate review:submit asks before an article enters review (issue 5). */
  setSubmitGate(gate: (article: Article) => Promise<void>): void {
    this.#submitGate = gate;
  }

  /** Records in the article's audit trail that a proofreading error was let through (issue 5). */
  async recordProofreadOverride(
    articleId: string,
    actor: Person,
    finding: Pick<Finding, 'rule' | 'text' | 'start' | 'message' | 'messageKey' | 'params'>,
    reason: string,
  ): Promise<void> {
    const article = await this.#store.get(articleId);
    const hash = await contentHash(article.meta, article.doc);
    await this.#ops.run(articleId, () =>
      this.#append(articleId, [
        {
          type: 'proofread_override',
          at: this.#iso(),
          actorId: actor.id,
          contentHash: hash,
          rule: finding.rule,
          text: finding.text,
          start: finding.start,
          message: finding.message,
          ...(finding.messageKey ? { messageKey: finding.messageKey, params: finding.params ?? {} } : {}),
          reason,
        },
      ]),
    );
  }

  /** review:submit */
  submit(request: ParsedRequestOf<'review:submit'>, context: CallContext): Promise<ReviewView> {
    const chain = this.#directory.chain();
    return this.#transition(request.id, context, 'submit', async (state, actor, hash, article) => {
      const result = submit(state, actor, { note: request.note, chain }, this.#iso(), hash);
      // Checked after the permission rules, so a reviewer learns "not a writer" rather than "no title".
      if (!ArticleMetaCompleteSchema.safeParse(article.meta).success) {
        throw new ApiError('invalid_request', t('session.error.titleRequired'));
      }
      await this.#submitGate?.(article);
      return result;
    });
  }

  /** review:approve — signed with the approver's key unlocked at sign-in. */
  approve(request: ParsedRequestOf<'review:approve'>, context: CallContext): Promise<ReviewView> {
    return this.#transition(request.id, context, 'approve', (state, actor, hash) => {
      const check = can(actor, 'approve', state, this.#directory.chain());
      if (!check.allowed) throw check.error;
      const key = this.#signingKey(context, actor);
      const now = this.#iso();
      const stage = currentStage(state);
      const signature = stage
        ? signApproval(key, request.id, {
            personId: actor.id,
            stageId: stage.id,
            at: now,
            opinion: request.opinion,
            contentHash: hash,
          })
        : null;
      return approve(state, actor, { opinion: request.opinion, expectedHash: request.expectedHash, signature }, now, hash);
    });
  }

  /** review:requestChanges */
  requestChanges(request: ParsedRequestOf<'review:requestChanges'>, context: CallContext): Promise<ReviewView> {
    return this.#transition(request.id, context, 'request_changes', (state, actor, hash) =>
      requestChanges(state, actor, { reason: request.reason, expectedHash: request.expectedHash }, this.#iso(), hash),
    );
  }

  /** review:comment — on the whole article or on a passage (offsets or a quote in the plain text). */
  comment(request: ParsedRequestOf<'review:comment'>, context: CallContext): Promise<ReviewView> {
    return this.#transition(request.id, context, 'comment', (state, actor, hash, article) => {
      let anchor: TextAnchor | null = null;
      if (request.anchor) {
        const text = docToPlainText(article.doc);
        const start = 'quote' in request.anchor ? text.indexOf(request.anchor.quote) : request.anchor.start;
        const end = 'quote' in request.anchor ? start + request.anchor.quote.length : request.anchor.end;
        anchor = start < 0 ? null : createAnchor(text, start, end);
        if (!anchor) throw new ApiError('invalid_request', t('session.error.badAnchor', { start, end }));
      }
      return comment(state, actor, { id: randomBytes(9).toString('base64url'), body: request.body, anchor }, this.#iso(), hash);
    });
  }

  /** review:get — state, audit trail, what the caller may do, comments located in the current text. */
  async view(id: string, context: CallContext): Promise<ReviewView> {
    const actor = this.requirePerson(context);
    const article = await this.#store.get(id);
    const state = await this.#state(id);
    const currentHash = await contentHash(article.meta, article.doc);
    const { events } = await readEvents(this.#store.articleFolder(id));
    const chain = this.#directory.chain();
    const check = (action: ReviewAction) => can(actor, action, state, chain);
    const edit = check('edit');
    const text = docToPlainText(article.doc);
    const comments: LocatedComment[] = state.comments.map((c) => {
      const range = c.anchor ? locateAnchor(text, c.anchor) : null;
      return { ...c, authorName: this.#nameOf(c.authorId), range, detached: c.anchor !== null && range === null };
    });
    const ids = new Set<string>([
      ...events.map((e) => e.actorId),
      ...state.approvals.map((a) => a.personId),
      ...state.invalidatedApprovals.map((a) => a.personId),
      ...state.comments.map((c) => c.authorId),
      ...(state.submittedBy ? [state.submittedBy] : []),
    ]);
    const names: Record<string, string> = {};
    for (const personId of ids) names[personId] = this.#nameOf(personId);
    return {
      articleId: id,
      title: article.meta.title,
      state,
      events,
      currentHash,
      canAct: {
        submit: check('submit').allowed,
        approve: check('approve').allowed,
        requestChanges: check('request_changes').allowed,
        comment: check('comment').allowed,
        edit: edit.allowed,
      },
      lockReason: edit.allowed ? null : edit.error.message,
      comments,
      names,
      stageName: currentStage(state)?.name ?? null,
    };
  }

  /** review:queue — what waits for the caller, oldest first. */
  async queue(context: CallContext): Promise<ReviewQueue> {
    const actor = this.requirePerson(context);
    const chain = this.#directory.chain();
    const items: { summary: ArticleSummary; review: ReviewState }[] = [];
    for (const summary of this.#store.list({ status: 'in_review' })) {
      try {
        items.push({ summary, review: await this.#state(summary.id) });
      } catch (error) {
        this.#log(`[review] queue skipped ${summary.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const waiting = reviewQueue(actor, items, chain);
    const out: ReviewQueue['items'] = [];
    for (const item of waiting) {
      const stage = currentStage(item.review);
      const { events } = await readEvents(this.#store.articleFolder(item.summary.id));
      const lastSubmit = events.findLast((e) => e.type === 'submit');
      out.push({
        article: item.summary,
        stageId: stage?.id ?? '',
        stageName: stage?.name ?? '',
        stageEnteredAt: item.review.stageEnteredAt,
        submittedBy: item.review.submittedBy ? { id: item.review.submittedBy, name: this.#nameOf(item.review.submittedBy) } : null,
        note: lastSubmit?.type === 'submit' ? lastSubmit.note : '',
      });
    }
    return { items: out, count: out.length };
  }

  /** review:diff — two revisions (or a revision and the current text), with who made each. */
  async diff(request: ParsedRequestOf<'review:diff'>, context: CallContext): Promise<ReviewDiff> {
    this.requirePerson(context);
    const { events } = await readEvents(this.#store.articleFolder(request.id));
    const side = async (revisionId: string): Promise<{ content: Pick<Revision, 'meta' | 'doc'>; side: DiffSide }> => {
      if (revisionId === 'current') {
        const article = await this.#store.get(request.id);
        const hash = await contentHash(article.meta, article.doc);
        const lastEdit = events.findLast((e) => e.type === 'edit' && e.contentHash === hash);
        return {
          content: article,
          side: {
            id: 'current',
            name: article.meta.title,
            createdAt: article.updatedAt,
            author: lastEdit ? { id: lastEdit.actorId, name: this.#nameOf(lastEdit.actorId) } : null,
          },
        };
      }
      let revision: Revision;
      try {
        revision = await this.#store.getVersion(request.id, revisionId);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'not_found') {
          throw new ApiError('not_found', t('session.error.noRevision', { id: revisionId }));
        }
        throw error;
      }
      return {
        content: revision,
        side: { id: revision.id, name: revision.name, createdAt: revision.createdAt, author: revision.author ?? null },
      };
    };
    const from = await side(request.from);
    const to = await side(request.to);
    const editors = events
      .filter((e) => e.type === 'edit' && e.at > from.side.createdAt && e.at <= to.side.createdAt)
      .map((e) => ({ id: e.actorId, name: this.#nameOf(e.actorId), at: e.at }));
    return { ...diffRevisions(from.content, to.content), from: from.side, to: to.side, editors };
  }

  /** The 审核表 of an article. */
  async signoffSheet(id: string): Promise<SignoffSheet> {
    const article = await this.#store.get(id);
    const state = await this.#state(id);
    const currentHash = await contentHash(article.meta, article.doc);
    const chain = state.chain ?? this.#directory.chain();
    const trusted = this.#directory.trustedKeys();
    const signatureOf = (approval: Approval): SignatureStatus => {
      if (!approval.signature) return 'missing';
      const key = trusted.find((k) => k.keyId === approval.signature?.keyId && k.personId === approval.personId);
      if (!key) return 'unknownKey';
      return verifyBytes(key.publicKey, approvalStatement(id, approval), approval.signature.value) ? 'valid' : 'invalid';
    };
    const stageName = (stageId: string) => chain.stages.find((s) => s.id === stageId)?.name ?? stageId;
    return {
      articleId: id,
      title: article.meta.title,
      column: article.meta.column,
      source: article.meta.source,
      date: article.meta.publishAt,
      status: state.status,
      submittedBy: state.submittedBy ? this.#nameOf(state.submittedBy) : null,
      stages: chain.stages.map((stage) => {
        const approval = state.approvals.find((a) => a.stageId === stage.id);
        return {
          stageId: stage.id,
          stageName: stage.name,
          reviewer: approval ? this.#nameOf(approval.personId) : null,
          at: approval?.at ?? null,
          opinion: approval?.opinion ?? '',
          contentHash: approval?.contentHash ?? null,
          signature: approval ? signatureOf(approval) : null,
          current: approval?.contentHash === currentHash,
        };
      }),
      invalidated: state.invalidatedApprovals.map((a) => ({
        stageName: stageName(a.stageId),
        reviewer: this.#nameOf(a.personId),
        at: a.at,
        contentHash: a.contentHash,
        reason: a.reason,
      })),
      currentHash,
      fullyApproved: isFullyApproved(state, currentHash),
      printedAt: this.#iso(),
    };
  }

  /** review:signoff — HTML, or PDF (base64). */
  async signoff(request: ParsedRequestOf<'review:signoff'>, context: CallContext): Promise<ExportedFile> {
    this.requirePerson(context);
    const sheet = await this.signoffSheet(request.id);
    const base = `${t('signoff.title')}-${safeName(sheet.title || sheet.articleId)}`;
    if (request.format === 'html') {
      return { fileName: `${base}.html`, mime: 'text/html', content: signoffHtml(sheet) };
    }
    if (!this.#renderPdf) throw new ApiError('internal', t('session.error.noCjkFont'));
    const pdf = await this.#renderPdf(sheet);
    return { fileName: `${base}.pdf`, mime: 'application/pdf', content: Buffer.from(pdf).toString('base64'), encoding: 'base64' };
  }

  /**
   * For publishing (issue 4): throws `conflict` unless the article's current
   * content carries a valid approval of every stage. Returns the approved hash.
   */
  async assertPublishable(articleId: string): Promise<{ contentHash: string }> {
    const article = await this.#store.get(articleId);
    const hash = await contentHash(article.meta, article.doc);
    const state = await this.#state(articleId);
    if (!isFullyApproved(state, hash)) {
      throw new ApiError('conflict', t('session.error.notPublishable', { title: article.meta.title || articleId }));
    }
    return { contentHash: hash };
  }

  // ───────────────────────────── packages and keys ─────────────────────────────

  async #packageArticle(id: string): Promise<PackageArticle> {
    const article = await this.#store.get(id);
    const folder = this.#store.articleFolder(id);
    const review = await readReviewState(folder, id);
    const { events } = await readEvents(folder);
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
    const actor = this.requirePerson(context);
    const key = this.#signingKey(context, actor);
    const articles: PackageArticle[] = [];
    for (const id of [...new Set(ids)]) articles.push(await this.#packageArticle(id));
    const now = this.#iso();
    const bytes = await buildPackage(articles, { key, name: actor.name }, now);
    const first = articles[0]?.article.meta.title || 'gazette';
    const suffix = articles.length > 1 ? `-${articles.length}` : '';
    return { fileName: `${safeName(first)}${suffix}-${now.slice(0, 10)}${PACKAGE_EXTENSION}`, bytes };
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
    this.requirePerson(context);
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
    const actor = this.requireCreator(context);
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
        const folder = this.#store.articleFolder(article.id);
        if (entry.review) await writeReviewState(folder, entry.review);
        await this.#append(article.id, entry.events);
        items.push({ sourceId: article.id, title: article.meta.title, outcome: 'created', articleId: article.id, conflictOf: null });
        continue;
      }
      const outcome = await this.#ops.run(article.id, async () => {
        const current = await this.#store.get(article.id);
        const same = (await contentHash(current.meta, current.doc)) === entry.contentHash;
        if (!same) return null;
        const folder = this.#store.articleFolder(article.id);
        const { events: localEvents } = await readEvents(folder);
        const isPrefix =
          entry.events.length > localEvents.length &&
          localEvents.every((e, i) => canonicalJson(e) === canonicalJson(entry.events[i]));
        if (entry.review && isPrefix) {
          await writeReviewState(folder, entry.review);
          await this.#append(article.id, entry.events.slice(localEvents.length));
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
      await this.#append(copyId, [
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
    this.requireCreator(context);
    return this.importPackageBytes(decodeBase64Strict(request.dataBase64), context);
  }

  /** keys:exportTrusted (admin) */
  exportTrusted(context: CallContext): ExportedFile {
    this.requireAdmin(context, 'session.action.manageKeys');
    return {
      fileName: 'gazette-trusted-keys.json',
      mime: 'application/json',
      content: exportTrustedKeys(this.#directory.trustedKeys()),
    };
  }

  /** keys:importTrusted (admin): merges by key id. */
  async importTrusted(request: ParsedRequestOf<'keys:importTrusted'>, context: CallContext): Promise<{ added: number; total: number }> {
    this.requireAdmin(context, 'session.action.manageKeys');
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

  /** Throws the clear message when the directory files are damaged (used at open). */
  assertDirectoryReadable(): void {
    for (const file of [PEOPLE_FILE, CHAIN_FILE, TRUSTED_KEYS_FILE]) this.#directory.assertReadable(file);
  }
}

function safeName(text: string): string {
  const cleaned = text.replace(/[<>:"/\\|?*\p{Cc}]/gu, '_').trim().slice(0, 60);
  return cleaned || 'gazette';
}
