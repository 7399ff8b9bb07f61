import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * The web host's sessions. Cookies are not port-scoped: every service on
 * 127.0.0.1 receives them, so a cookie alone must never be enough to act.
 * A browser session therefore has two halves: the id (HttpOnly cookie, tells
 * browsers apart) and a CSRF secret the page keeps in its own memory and sends
 * as a header. The secret is handed out once per session (`claim`), so whoever
 * replays a logged cookie later finds it already taken.
 *
 * Only ids this store issued are accepted (no fixation); they expire after
 * idle time and are replaced on sign-in and sign-out.
 */

/** How long a session may sit unused before it ends; the services then forget who was signed in. */
export const DEFAULT_SESSION_IDLE_MS = 8 * 60 * 60 * 1000;

/** `browser`: cookie + CSRF header. `bearer`: a script holding the launch token, id in a header. */
export type SessionKind = 'browser' | 'bearer';

export interface HostSession {
  readonly id: string;
  readonly kind: SessionKind;
  readonly csrf: string;
  /** The CSRF secret has been handed to a page; nobody gets it again. */
  claimed: boolean;
  lastSeen: number;
}

function randomId(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison (hashing first makes lengths equal and hides them). */
export function secretsMatch(candidate: string | null | undefined, secret: string): boolean {
  if (typeof candidate !== 'string' || candidate === '') return false;
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

export interface SessionStoreOptions {
  idleMs?: number;
  now?: () => number;
  /** Called once for every session that ends (expiry, sign-out, rotation), so the services drop its signed-in person and key. */
  onEnd?: (session: HostSession) => void;
}

/** The sessions one web host issued; nothing else is a session. */
export class SessionStore {
  readonly #sessions = new Map<string, HostSession>();
  readonly #idleMs: number;
  readonly #now: () => number;
  readonly #onEnd: (session: HostSession) => void;

  constructor(options: SessionStoreOptions = {}) {
    this.#idleMs = options.idleMs ?? DEFAULT_SESSION_IDLE_MS;
    this.#now = options.now ?? Date.now;
    this.#onEnd = options.onEnd ?? (() => {});
  }

  get idleMs(): number {
    return this.#idleMs;
  }

  /** A new session with fresh random id and CSRF secret. */
  create(kind: SessionKind, claimed = false): HostSession {
    this.sweep();
    const session: HostSession = { id: randomId(), kind, csrf: randomId(), claimed, lastSeen: this.#now() };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The live session of this id and kind, touched; null for an id never issued, of the other kind, or expired. */
  find(id: string | null | undefined, kind: SessionKind): HostSession | null {
    if (!id) return null;
    const session = this.#sessions.get(id);
    if (!session || session.kind !== kind) return null;
    if (this.#expired(session)) {
      this.end(session);
      return null;
    }
    session.lastSeen = this.#now();
    return session;
  }

  /** Hands out the CSRF secret the first time only. */
  claim(session: HostSession): string | null {
    if (session.claimed) return null;
    session.claimed = true;
    return session.csrf;
  }

  end(session: HostSession): void {
    if (this.#sessions.delete(session.id)) this.#onEnd(session);
  }

  /** Ends every session idle for too long. */
  sweep(): void {
    for (const session of [...this.#sessions.values()]) if (this.#expired(session)) this.end(session);
  }

  get size(): number {
    return this.#sessions.size;
  }

  #expired(session: HostSession): boolean {
    return this.#now() - session.lastSeen > this.#idleMs;
  }
}
