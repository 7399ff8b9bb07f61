import { z } from 'zod';
import { NewPasswordSchema } from '../../domain/password';
import { type Role, RoleSchema } from '../../workflow/review-chain';
import { channel } from './channel';

/** A person as every signed-in user may see them (no password, no key). */
export interface PersonSummary {
  id: string;
  name: string;
  unit: string;
  roles: Role[];
  active: boolean;
  /** Id of the person's Ed25519 public key (what the trusted-key list shows). */
  keyId: string | null;
}

export interface SessionInfo {
  /** The signed-in person of this window / browser, or null. */
  person: PersonSummary | null;
  /** Active people, for the sign-in picker. */
  people: PersonSummary[];
  /** True until the first admin exists: the UI shows the setup screen. */
  needsSetup: boolean;
}

/**
 * One of a person's signing keys, as the administrators' people screen shows
 * it: what the verified office policy says of it, and whether this
 * workstation's people file still holds its private half.
 */
export interface PersonKeyView {
  personId: string;
  keyId: string;
  /** From when the policy accepts its signatures; null while no administrator has signed it into the policy. */
  validFrom: string | null;
  /** From when it signs nothing valid (earlier signatures keep verifying); null while it is in use. */
  revokedAt: string | null;
  revokedReason: string;
  /** The person's current key on this workstation. */
  held: boolean;
}

const PasswordSchema = NewPasswordSchema;

export const PersonSaveRequestSchema = z.object({
  /** Absent: create a new person (password then required). */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  name: z.string().trim().min(1).max(100),
  unit: z.string().trim().max(200).default(''),
  roles: z.array(RoleSchema).min(1),
  active: z.boolean().default(true),
  /** Initial password when creating; ignored when updating (use people:setPassword). */
  password: PasswordSchema.optional(),
});

/**
 * Who is at the keyboard, and the people of the office. A session belongs to
 * one window or browser; signing in unlocks the person's signing key for it.
 */
export const sessionChannels = {
  /** The caller's session: who is signed in, the active people to pick from, whether setup is needed. Anyone. */
  'session:get': channel<SessionInfo>('anyone')(z.object({})),
  /**
   * First run only (`conflict` afterwards): creates the first person, admin
   * and writer, and signs the caller in as them. Returns the new session.
   */
  'session:setup': channel<SessionInfo>('anyone')(
    z.object({ name: z.string().trim().min(1).max(100), unit: z.string().trim().max(200).default(''), password: PasswordSchema }),
  ),
  /** Signs the caller in (`unauthorized`, after a delay, on a wrong password or an inactive person). Returns the session. */
  'session:signIn': channel<SessionInfo>('anyone')(z.object({ personId: z.string().min(1).max(64), password: z.string().max(1024) })),
  /** Ends the caller's session and forgets its unlocked key. Returns the session, now without a person. */
  'session:signOut': channel<SessionInfo>('anyone')(z.object({})),
  /** Everyone in the people directory, inactive people included. Any signed-in person. */
  'people:list': channel<PersonSummary[]>('signedIn')(z.object({})),
  /** Creates a person (with an initial password) or updates name, unit, roles and active. Admins only; the last admin stays. */
  'people:save': channel<PersonSummary>({ admin: 'session.action.managePeople' })(PersonSaveRequestSchema),
  /**
   * Changes a password: one's own with the old password, or anyone's as an
   * admin. A reset cannot reopen a password-protected signing key, so a new
   * key is issued; approvals signed with the old one still verify.
   */
  'people:setPassword': channel<{ ok: true }>('signedIn')(
    z.object({ personId: z.string().min(1).max(64), oldPassword: z.string().max(1024).optional(), newPassword: PasswordSchema }),
  ),
  /** Every person's signing keys, current and revoked, from the verified office policy and the people file. Admins only. */
  'people:keys': channel<PersonKeyView[]>({ admin: 'session.action.managePeople' })(z.object({})),
  /**
   * Revokes a signing key from now, with the reason, in a new office policy
   * version the calling administrator signs; the key stays listed, so what it
   * signed before still verifies. The person's sessions end, and they cannot
   * sign until an administrator resets their password (which issues a new
   * key). Admins only; refused when it would leave no administrator able to sign.
   */
  'people:revokeKey': channel<{ revokedAt: string }>({ admin: 'session.action.revokeKey' })(
    z.object({
      personId: z.string().min(1).max(64),
      keyId: z.string().min(1).max(128),
      reason: z.string().trim().min(1, 'a reason is required').max(500),
    }),
  ),
} as const;
