import { randomBytes } from 'node:crypto';
import type { Access } from '../../../shared/api/access';
import type { CallContext, ParsedRequestOf, PersonKeyView, PersonSummary, SessionInfo } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { MessageKey } from '../../../shared/i18n';
import type { Person } from '../../../shared/workflow/review-chain';
import { t } from '../messages';
import { KeyedQueue } from '../store/keyed-queue';
import { keyInvalidReason, type OfficeKey, type OfficePolicy, personIn, type VerifiedPolicy } from '../../../shared/record/policy';
import { RecordError } from '../../../shared/record/problems';
import { formatOfficeTime } from '../../../shared/text/office-time';
import { reconcileOfficePolicy } from '../record/office-policy';
import type { OfficePolicyStore, PolicySigner } from '../record/policy-store';
import {
  createKeyPair,
  DEFAULT_SCRYPT,
  hashPassword,
  isPasswordSealed,
  KeyError,
  type KeyProtector,
  type KeySealing,
  PASSWORD_ONLY,
  personalKeyProtector,
  reprotectKeyPair,
  type ScryptParams,
  signBytes,
  trustedKeyFor,
  type UnlockedKey,
  unlockKeyPair,
  verifyBytes,
  verifyPassword,
} from './keys';
import { PEOPLE_FILE, type PeopleDirectory, type PersonRecord } from './people-directory';

/** Id under which the CLI's plain commands act: whoever runs the CLI already holds the files. */
export const CLI_OPERATOR_ID = 'cli';

/** Options of {@link IdentityService}. */
export interface IdentityServiceOptions {
  now?: () => Date;
  log?: (message: string) => void;
  /**
   * What seals private keys besides each person's password, which always
   * seals them: the desktop app passes Electron safeStorage here
   * ({@link desktopKeySealing}); the web host and the CLI use the password alone.
   */
  keySealing?: KeySealing;
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
  /** Why `key` is null, as the refusal to sign says it (a key sealed by another machine's keychain, a revoked key). */
  keyError: string | null;
  /**
   * The person's own key when the policy revoked it: it signs nothing in the
   * record any more, only a transfer package of what they still hold here,
   * which the importer judges by the revocation ({@link IdentityService.packageKey}).
   */
  revokedKey?: UnlockedKey;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function summaryOf(record: PersonRecord, person: Person = record.person): PersonSummary {
  const { id, name, unit, roles, active } = person;
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
  readonly #sealing: KeySealing;
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
    this.#sealing = options.keySealing ?? PASSWORD_ONLY;
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

  /**
   * Who a person is (name, unit, roles, whether active), as the newest verified
   * office policy says, unless this desktop changed their record since that
   * version was issued and the change awaits an administrator's signature (the
   * rule `reconcileOfficePolicy` signs by). A joined desktop's people.json
   * holds only who signs in here, as they were when they joined; a policy a
   * sync round brings (a role changed on another desktop) counts at once.
   */
  #facts(record: PersonRecord): Person {
    const latest = this.#policies.lastVerified()?.latest;
    const listed = latest ? personIn(latest, record.person.id) : null;
    if (!latest || !listed) return record.person;
    const changedHere = record.updatedAt !== undefined && Date.parse(record.updatedAt) >= Date.parse(latest.issuedAt);
    return changedHere ? record.person : listed;
  }

  /** Reads the office policy again (after a sync round wrote newer versions): who works here follows it from now on. */
  async refreshPolicy(): Promise<void> {
    await this.#policies.load().catch((error: unknown) => {
      this.#log(`[policy] not read: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** The signed-in (active) person of this caller, or null. */
  personOf(context: CallContext): Person | null {
    const session = context.sessionId ? this.#sessions.get(context.sessionId) : undefined;
    if (!session) return null;
    const record = this.#directory.record(session.personId);
    const person = record ? this.#facts(record) : null;
    return person?.active ? person : null;
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

  #policyPerson(id: string): Person | null {
    const record = this.#directory.record(id);
    if (record) return this.#facts(record);
    const latest = this.#policies.lastVerified()?.latest;
    return latest ? personIn(latest, id) : null;
  }

  /** The display name of a person id: people here first, then the owners of trusted keys, else the id. */
  nameOf(id: string): string {
    if (id === CLI_OPERATOR_ID) return t('session.operator');
    return (
      this.#policyPerson(id)?.name ?? this.#directory.record(id)?.person.name ?? this.#directory.trustedKeys().find((k) => k.personId === id)?.name ?? id
    );
  }

  /** The caller's unlocked signing key; `forbidden` with the reason when there is none. */
  signingKey(context: CallContext, actor: Person): UnlockedKey {
    const session = this.#sessions.get(context.sessionId);
    if (session?.key && session.key.personId === actor.id) return session.key;
    throw new ApiError('forbidden', session?.keyError ?? t('session.error.noKey', { name: actor.name }));
  }

  /**
   * The key that signs a transfer package the caller exports: their signing
   * key, or the one the policy revoked. A revoked person's unsynced work must
   * be able to leave their desktop, and this takes nothing from the
   * revocation: the importing side knows the key is revoked and takes from
   * such a package only what was signed while the key was valid
   * (transfer/package.ts).
   */
  packageKey(context: CallContext, actor: Person): UnlockedKey {
    const session = this.#sessions.get(context.sessionId);
    if (session?.revokedKey && session.revokedKey.personId === actor.id) return session.revokedKey;
    return this.signingKey(context, actor);
  }

  // ───────────────────────────── keys and records ─────────────────────────────

  /** Seals under the person's password, wrapped by the OS keychain where the desktop has a real one. */
  #protectorFor(password: string): KeyProtector {
    return personalKeyProtector(password, this.#sealing, this.#scrypt);
  }

  async #unlock(record: PersonRecord, password: string): Promise<Pick<Session, 'key' | 'keyError' | 'revokedKey'>> {
    const name = record.person.name;
    if (!record.key) return { key: null, keyError: t('session.error.keyRevoked', { name }) };
    let key: UnlockedKey;
    try {
      key = await unlockKeyPair(record.key, this.#protectorFor(password));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.#log(`[keys] key of ${record.person.id} not unlocked: ${detail}`);
      return { key: null, keyError: `${t('session.error.noKey', { name })}（${detail}）` };
    }
    // The policy may have revoked this key on another workstation (synced in): say so now, not at the first refused approval.
    const revoked = await this.#revocationOf(key.keyId);
    if (revoked?.revokedAt) {
      return {
        key: null,
        keyError: t('session.error.keyRevokedAt', { name, revokedAt: formatOfficeTime(revoked.revokedAt), reason: revoked.revokedReason }),
        revokedKey: key,
      };
    }
    return { key, keyError: null };
  }

  /** The policy's entry for a key revoked by now; null when it is not, or when there is no readable policy to say so. */
  async #revocationOf(keyId: string): Promise<OfficeKey | null> {
    try {
      if (!(await this.#policies.exists())) return null;
      const listed = (await this.#policies.current()).latest.keys.find((k) => k.keyId === keyId);
      return listed?.revokedAt && listed.revokedAt <= this.#iso() ? listed : null;
    } catch (error) {
      if (error instanceof RecordError) return null;
      throw error;
    }
  }

  /**
   * Older desktop versions sealed keys by safeStorage alone, so anything running
   * as the same OS user could sign as that person. At sign-in the password is
   * known: the key is re-sealed under it. Returns the record as it now stands.
   */
  async #sealUnderPassword(record: PersonRecord, password: string): Promise<PersonRecord> {
    if (!record.key || isPasswordSealed(record.key.privateKey)) return record;
    return this.#peopleOps.run('people', async () => {
      const current = this.#directory.record(record.person.id);
      // Reset or revoked meanwhile: nothing left to re-seal.
      if (!current?.key || current.key.keyId !== record.key?.keyId || isPasswordSealed(current.key.privateKey)) {
        return current ?? record;
      }
      const protector = this.#protectorFor(password);
      let key: PersonRecord['key'];
      try {
        key = await reprotectKeyPair(current.key, protector, protector);
      } catch (error) {
        // Sealed by another machine's keychain: sign-in goes on, and the session says why it cannot sign.
        this.#log(`[keys] the key of ${current.person.id} is sealed by safeStorage alone and could not be opened to re-seal it: ${error instanceof Error ? error.message : String(error)}`);
        return current;
      }
      const updated: PersonRecord = { ...current, key, updatedAt: this.#iso() };
      await this.#directory.putPerson(updated);
      this.#log(
        `[keys] the key ${current.key.keyId} of ${current.person.id} was sealed by safeStorage alone; re-sealed under the person's password (${key?.privateKey.kind})`,
      );
      return updated;
    });
  }

  #endSessionsOf(personId: string): void {
    for (const [id, session] of this.#sessions) if (session.personId === personId) this.#sessions.delete(id);
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
      person: record ? summaryOf(record, this.#facts(record)) : null,
      // Who can sign in on this desktop: the people whose records are here.
      people: this.#directory
        .people()
        .map((r) => summaryOf(r, this.#facts(r)))
        .filter((p) => p.active),
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
      // The founder confirms the root they just created.
      await this.assertRootAnchored(context);
      return this.session(context);
    });
  }

  /** Not where a key is re-sealed: setup runs inside the people queue, which re-sealing takes. */
  async #open(context: CallContext, record: PersonRecord, password: string): Promise<void> {
    if (!context.sessionId) throw new ApiError('unauthorized', t('session.error.signInRequired'));
    const unlocked = await this.#unlock(record, password);
    if (unlocked.key) await this.#anchorRoot(record, unlocked.key);
    this.#sessions.set(context.sessionId, { personId: record.person.id, ...unlocked });
  }

  /**
   * The office's root key id, as this person confirmed it with their own key
   * the first time they signed in here. Refuses (conflict) when office/root.json
   * now names another root: the whole office on disk was replaced.
   */
  async #anchorRoot(record: PersonRecord, key: UnlockedKey): Promise<void> {
    const root = await this.#policies.rootKeyId().catch(() => null);
    if (root === null) return;
    const text = rootAnchorText(root);
    if (record.rootAnchor !== undefined) {
      if (verifyBytes(key.publicKey, text, record.rootAnchor)) return;
      this.#log(`[policy] ${record.person.id}: office/root.json names ${root}, not the root this person confirmed`);
      throw new ApiError('conflict', t('session.error.rootChanged', { name: record.person.name }));
    }
    const current = this.#directory.record(record.person.id) ?? record;
    await this.#directory.putPerson({ ...current, rootAnchor: signBytes(key, text) });
  }

  /** Before acting for the office (publishing): the session's person still confirms this office's root. */
  async assertRootAnchored(context: CallContext): Promise<void> {
    const session = this.#sessions.get(context.sessionId);
    const record = session ? this.#directory.record(session.personId) : undefined;
    if (!session?.key || !record) return;
    await this.#anchorRoot(record, session.key);
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
    const record = await this.#sealUnderPassword(await this.authenticate(request.personId, request.password), request.password);
    await this.#open(context, record, request.password);
    await this.#signPendingPolicy(context);
    return this.session(context);
  }

  /** Signs a session in by id or name (the CLI's `--as`). */
  async signInAs(idOrName: string, password: string, context: CallContext): Promise<Person> {
    const record = await this.#sealUnderPassword(await this.authenticate(idOrName, password), password);
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
    const here = this.#directory.people().map((r) => summaryOf(r, this.#facts(r)));
    // Everyone else the verified policy names, with their current key: a joined desktop holds records only of who signs in here.
    const latest = this.#policies.lastVerified()?.latest;
    const elsewhere: PersonSummary[] = (latest?.people ?? [])
      .filter((p) => !here.some((h) => h.id === p.id))
      .map((p) => ({
        id: p.id,
        name: p.name,
        unit: p.unit,
        roles: [...p.roles],
        active: p.active,
        keyId: latest?.keys.find((k) => k.personId === p.id && k.revokedAt === null)?.keyId ?? null,
      }));
    return [...here, ...elsewhere];
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

  /**
   * people:setPassword — one's own with the old password (the key is re-sealed
   * under the new one); an admin may reset anyone's. A reset cannot open the
   * old key (only its owner's password does), so it issues a new one, and the
   * signed policy revokes the old one from now: whoever knew the old password
   * no longer speaks for this person. Their sessions end.
   */
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
        if (key) {
          try {
            key = await reprotectKeyPair(key, this.#protectorFor(old), this.#protectorFor(request.newPassword));
          } catch (error) {
            // Changing the password while the key stays sealed by the old one would lose the key at the next sign-in.
            if (error instanceof KeyError) throw new ApiError('conflict', t('session.error.keyNotReSealed', { detail: error.message }));
            throw error;
          }
        }
      } else {
        // The revocation must be signed now, or the old key would stay valid until some later signature.
        await this.#requireAdminSigner(context);
        key = await createKeyPair(record.person.id, this.#protectorFor(request.newPassword), this.#iso());
      }
      const updated: PersonRecord = {
        ...record,
        passwordHash: await hashPassword(request.newPassword, this.#scrypt),
        key,
        updatedAt: this.#iso(),
      };
      // A new key has not confirmed the root yet: it does at its first sign-in (the old one can no longer sign).
      if (!own) delete updated.rootAnchor;
      await this.#storeRecord(updated);
      if (!own) {
        this.#endSessionsOf(record.person.id);
        await this.#signPolicy(context, t('policy.note.reset', { name: record.person.name }));
      }
      return { ok: true as const };
    });
  }

  /**
   * people:keys — every person's keys: what the verified policy lists (revoked
   * ones too), and a current key no administrator has signed in yet.
   */
  async listKeys(context: CallContext): Promise<PersonKeyView[]> {
    this.requireAdmin(context, 'session.action.managePeople');
    const policy = (await this.#policies.exists()) ? (await this.#verifiedPolicy()).latest : null;
    return this.#directory.people().flatMap((record) => {
      const held = record.key?.keyId ?? null;
      const listed: PersonKeyView[] = (policy?.keys ?? [])
        .filter((k) => k.personId === record.person.id)
        .map((k) => ({
          personId: k.personId,
          keyId: k.keyId,
          validFrom: k.validFrom,
          revokedAt: k.revokedAt,
          revokedReason: k.revokedReason,
          held: k.keyId === held,
        }));
      if (held && !listed.some((k) => k.keyId === held)) {
        listed.push({ personId: record.person.id, keyId: held, validFrom: null, revokedAt: null, revokedReason: '', held: true });
      }
      return listed;
    });
  }

  /**
   * people:revokeKey — the calling administrator signs a policy version that
   * revokes the key from now with the reason (it stays listed: what it signed
   * before keeps verifying), the people file forgets its private half, and the
   * person's sessions end. They cannot sign again until an administrator resets
   * their password, which issues a new key under a signed change: a revoked key
   * usually means the password is no longer trusted either, so signing in with
   * it must not be enough to get signing rights back.
   */
  async revokeKey(request: ParsedRequestOf<'people:revokeKey'>, context: CallContext): Promise<{ revokedAt: string }> {
    const admin = this.requireAdmin(context, 'session.action.revokeKey');
    return this.#peopleOps.run('people', async () => {
      const record = this.#directory.record(request.personId);
      if (!record) throw new ApiError('not_found', t('session.error.unknownPerson', { name: request.personId }));
      const signer = await this.#requireAdminSigner(context);
      // An older workspace without a policy gets one first, so the revocation has a version to go into.
      if (!(await this.#policies.exists())) await this.#signPolicy(context, t('policy.note.pending'));
      const policy = (await this.#verifiedPolicy()).latest;
      const listed = policy.keys.find((k) => k.keyId === request.keyId && k.personId === record.person.id);
      const held = record.key?.keyId === request.keyId;
      const name = record.person.name;
      if (!listed && !held) throw new ApiError('not_found', t('session.error.unknownKey', { name, keyId: request.keyId }));
      const now = this.#iso();
      let revokedAt = now;
      if (listed?.revokedAt) {
        // Already revoked in the policy (on another workstation, or a write here that failed after signing): only the local part is left.
        if (!held) throw new ApiError('conflict', t('session.error.keyAlreadyRevoked', { keyId: shortKeyId(request.keyId), revokedAt: formatOfficeTime(listed.revokedAt) }));
        revokedAt = listed.revokedAt;
      } else if (listed) {
        if (!adminCanSignWithout(policy, listed.keyId, now)) throw new ApiError('conflict', t('session.error.lastAdminKey'));
        const note = t('policy.note.revokeKey', { name, keyId: shortKeyId(listed.keyId), reason: request.reason });
        try {
          await this.#policies.amend(
            (latest) => ({
              ...latest,
              keys: latest.keys.map((k) => (k.keyId === listed.keyId ? { ...k, revokedAt: now, revokedReason: request.reason } : k)),
            }),
            signer,
            now,
            note,
          );
        } catch (error) {
          if (error instanceof RecordError) throw new ApiError('conflict', error.message);
          throw error;
        }
      }
      // A key no administrator had signed in yet was never valid: forgetting it here is all there is to do.
      if (held) await this.#directory.putPerson({ ...record, key: null, updatedAt: now });
      this.#endSessionsOf(record.person.id);
      this.#log(`[keys] ${admin.name} revoked key ${request.keyId} of ${record.person.id} from ${revokedAt}: ${request.reason}`);
      return { revokedAt };
    });
  }

  // ───────────────────────────── the signed office policy ─────────────────────────────

  /** The verified office policy; RecordError naming what failed otherwise. */
  policy(): Promise<VerifiedPolicy> {
    return this.#policies.current();
  }

  /** The verified policy; `conflict` naming what failed when it does not verify. */
  async #verifiedPolicy(): Promise<VerifiedPolicy> {
    try {
      return await this.#policies.current();
    } catch (error) {
      if (error instanceof RecordError) throw new ApiError('conflict', error.message);
      throw error;
    }
  }

  /**
   * An administrator's session key as a policy signer, or null when the caller
   * cannot sign here: no unlocked key, or one the latest policy does not accept
   * from an administrator it names (a version signed with it would be refused).
   */
  async #adminSigner(context: CallContext): Promise<PolicySigner | null> {
    const person = this.personOf(context);
    const key = this.#sessions.get(context.sessionId)?.key;
    if (!person?.roles.includes('admin') || !key || key.personId !== person.id) return null;
    if (await this.#policies.exists()) {
      const latest = (await this.#verifiedPolicy()).latest;
      const listed = personIn(latest, person.id);
      if (!listed?.active || !listed.roles.includes('admin') || keyInvalidReason(latest, key.keyId, this.#iso()) !== null) {
        return null;
      }
    }
    return { personId: person.id, keyId: key.keyId, sign: (text) => signBytes(key, text) };
  }

  async #requireAdminSigner(context: CallContext): Promise<PolicySigner> {
    const signer = await this.#adminSigner(context);
    if (!signer) throw new ApiError('forbidden', t('session.error.cannotSignPolicy'));
    return signer;
  }

  /**
   * Signs the policy as the people file and the chain now say it, as the calling
   * administrator. Without an administrator's key here (the CLI operator, a key
   * sealed by another app) the change waits for the next administrator who signs
   * in; until then nobody can act under it (entries are verified before they are written).
   */
  async #signPolicy(context: CallContext, note: string): Promise<void> {
    const signer = await this.#adminSigner(context);
    if (!signer) {
      this.#log(`[policy] not signed now (no administrator key in this session): ${note}`);
      return;
    }
    try {
      await reconcileOfficePolicy(
        this.#policies,
        { people: this.#directory.people(), chain: this.#directory.hasOwnChain() ? this.#directory.chain() : null },
        signer,
        this.#iso(),
        note,
      );
    } catch (error) {
      if (error instanceof RecordError) throw new ApiError('conflict', error.message);
      throw error;
    }
  }

  async #signPendingPolicy(context: CallContext): Promise<void> {
    if (await this.#adminSigner(context)) await this.#signPolicy(context, t('policy.note.pending'));
  }

  /** review:chainSave goes through here so the chain change is signed with the policy. */
  async signChange(context: CallContext, note: string): Promise<void> {
    await this.#signPolicy(context, note);
  }
}

/** The first 8 hex digits, as people compare keys on screen. */
function shortKeyId(keyId: string): string {
  return keyId.slice(0, 8);
}

/**
 * Whether, with `keyId` revoked from `now`, some active administrator still
 * holds a key the policy accepts: otherwise nobody could ever sign the policy
 * again (not even to issue new keys).
 */
function adminCanSignWithout(policy: OfficePolicy, keyId: string, now: string): boolean {
  return policy.keys.some((k) => {
    if (k.keyId === keyId || keyInvalidReason(policy, k.keyId, now) !== null) return false;
    const holder = personIn(policy, k.personId);
    return holder?.active === true && holder.roles.includes('admin');
  });
}

/** What a person's root anchor signs: the office's root key id. */
function rootAnchorText(rootKeyId: string): string {
  return `gazette/root-anchor\n${rootKeyId}`;
}
