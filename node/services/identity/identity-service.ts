import { randomBytes } from 'node:crypto';
import type { Access } from '../../../shared/api/access';
import type { CallContext, ParsedRequestOf, PersonSummary, SessionInfo } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { MessageKey } from '../../../shared/i18n';
import type { Person } from '../../../shared/workflow/review-chain';
import { t } from '../messages';
import { KeyedQueue } from '../store/keyed-queue';
import type { VerifiedPolicy } from '../../../shared/record/policy';
import { RecordError } from '../../../shared/record/problems';
import { reconcileOfficePolicy } from '../record/office-policy';
import type { OfficePolicyStore, PolicySigner } from '../record/policy-store';
import {
  createKeyPair,
  DEFAULT_SCRYPT,
  hashPassword,
  KeyError,
  signBytes,
  type KeyProtector,
  passwordProtector,
  reprotectKeyPair,
  type ScryptParams,
  trustedKeyFor,
  type UnlockedKey,
  unlockKeyPair,
  verifyPassword,
} from './keys';
import { PEOPLE_FILE, type PeopleDirectory, type PersonRecord } from './people-directory';

/** Id under which the CLI's plain commands act: whoever runs the CLI already holds the files. */
export const CLI_OPERATOR_ID = 'cli';
const PASSWORD_KIND = 'scrypt-aes-256-gcm';

/** Options of {@link IdentityService}. */
export interface IdentityServiceOptions {
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
  /** The signed office policy, kept in step with what administrators change here. */
  policies: OfficePolicyStore;
}

/** What another service asks of identity before it acts: who the caller is, and whether they may. */
export type AccessControl = Pick<IdentityService, 'requirePerson' | 'requireAdmin'>;

interface Session {
  personId: string;
  /** Opened with the password at sign-in; in memory only. Null when the key could not be opened here. */
  key: UnlockedKey | null;
  /** Why `key` is null (e.g. a key sealed by the desktop's safeStorage, opened in the web host). */
  keyError: string | null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function summaryOf(record: PersonRecord): PersonSummary {
  const { id, name, unit, roles, active } = record.person;
  return { id, name, unit, roles: [...roles], active, keyId: record.key?.keyId ?? null };
}

/**
 * Who is calling and what they may do: sessions and the signing keys they
 * unlock, people and their passwords, and the role checks every other
 * service asks before it acts.
 */
export class IdentityService {
  readonly #directory: PeopleDirectory;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;
  readonly #keyProtector: ((password: string) => KeyProtector) | undefined;
  readonly #failureDelayMs: number;
  readonly #scrypt: ScryptParams;
  readonly #policies: OfficePolicyStore;
  readonly #sessions = new Map<string, Session>();
  /** Guards people.json against two concurrent read-modify-writes. */
  readonly #peopleOps = new KeyedQueue();

  constructor(directory: PeopleDirectory, options: IdentityServiceOptions) {
    this.#directory = directory;
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log ?? (() => {});
    this.#keyProtector = options.keyProtector;
    this.#failureDelayMs = options.failureDelayMs ?? 300;
    this.#scrypt = options.scrypt ?? DEFAULT_SCRYPT;
    this.#policies = options.policies;
  }

  #iso(): string {
    return this.#now().toISOString();
  }

  // ───────────────────────────── who is calling ─────────────────────────────

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

  /** The contract's per-channel access, checked before any handler runs (the dispatcher's authorizer). */
  authorize(access: Access, context: CallContext): void {
    if (access === 'anyone') return;
    if (access === 'signedIn') this.requirePerson(context);
    else if (access === 'creator') this.requireCreator(context);
    else this.requireAdmin(context, access.admin);
  }

  /** The caller, who must be a writer (or admin): creating and importing articles. */
  requireCreator(context: CallContext): Person {
    const person = this.requirePerson(context);
    if (!person.roles.includes('writer') && !person.roles.includes('admin')) {
      throw new ApiError('forbidden', t('session.error.writerOnly', { action: t('session.action.create') }));
    }
    return person;
  }

  /** The display name of a person id: people here first, then the owners of trusted keys, else the id. */
  nameOf(id: string): string {
    if (id === CLI_OPERATOR_ID) return t('session.operator');
    return (
      this.#directory.record(id)?.person.name ?? this.#directory.trustedKeys().find((k) => k.personId === id)?.name ?? id
    );
  }

  /** The caller's unlocked signing key; `forbidden` with the reason when there is none. */
  signingKey(context: CallContext, actor: Person): UnlockedKey {
    const session = this.#sessions.get(context.sessionId);
    if (session?.key && session.key.personId === actor.id) return session.key;
    const reason = t('session.error.noKey', { name: actor.name });
    throw new ApiError('forbidden', session?.keyError ? `${reason}（${session.keyError}）` : reason);
  }

  // ───────────────────────────── keys and records ─────────────────────────────

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

  // ───────────────────────────── session:* ─────────────────────────────

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
      await this.#signPolicy(context, t('policy.note.setup'));
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
    await this.#signPendingPolicy(context);
    return this.session(context);
  }

  /** Signs a session in by id or name (the CLI's `--as`). */
  async signInAs(idOrName: string, password: string, context: CallContext): Promise<Person> {
    const record = await this.authenticate(idOrName, password);
    await this.#open(context, record, password);
    await this.#signPendingPolicy(context);
    return record.person;
  }

  /** session:signOut — forgets the session and its unlocked key. */
  async signOut(context: CallContext): Promise<SessionInfo> {
    this.#sessions.delete(context.sessionId);
    return this.session(context);
  }

  // ───────────────────────────── people:* ─────────────────────────────

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
      await this.#signPolicy(context, t('policy.note.people', { name: person.name }));
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
      if (!own) {
        // A reset means the old password (and whoever knew it) no longer speaks for
        // this person: the old key is revoked from now and their sessions end.
        for (const [id, session] of this.#sessions) if (session.personId === record.person.id) this.#sessions.delete(id);
        await this.#signPolicy(context, t('policy.note.reset', { name: record.person.name }));
      }
      return { ok: true as const };
    });
  }

  // ───────────────────────────── the signed office policy ─────────────────────────────

  /** The verified office policy; RecordError naming what failed otherwise. */
  policy(): Promise<VerifiedPolicy> {
    return this.#policies.current();
  }

  /** An administrator's session key as a policy signer, or null when the caller cannot sign here. */
  #adminSigner(context: CallContext): PolicySigner | null {
    const person = this.personOf(context);
    const key = this.#sessions.get(context.sessionId)?.key;
    if (!person?.roles.includes('admin') || !key || key.personId !== person.id) return null;
    return { personId: person.id, keyId: key.keyId, sign: (text) => signBytes(key, text) };
  }

  /**
   * Signs the policy as the people file and the chain now say it, as the calling
   * administrator. Without an administrator's key here (the CLI operator, a key
   * sealed by another app) the change waits for the next administrator who signs
   * in; until then nobody can act under it (entries are verified before they are written).
   */
  async #signPolicy(context: CallContext, note: string): Promise<void> {
    const signer = this.#adminSigner(context);
    if (!signer) {
      this.#log(`[policy] not signed now (no administrator key in this session): ${note}`);
      return;
    }
    try {
      await reconcileOfficePolicy(this.#policies, { people: this.#directory.people(), chain: this.#directory.chain() }, signer, this.#iso(), note);
    } catch (error) {
      if (error instanceof RecordError) throw new ApiError('conflict', error.message);
      throw error;
    }
  }

  async #signPendingPolicy(context: CallContext): Promise<void> {
    if (this.#adminSigner(context)) await this.#signPolicy(context, t('policy.note.pending'));
  }

  /** review:chainSave goes through here so the chain change is signed with the policy. */
  async signChange(context: CallContext, note: string): Promise<void> {
    await this.#signPolicy(context, note);
  }
}
