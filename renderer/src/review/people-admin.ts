import type { ExportedFile, PersonKeyView, PersonSummary } from '../../../shared/api/contract';
import type { ReviewChain, Role } from '../../../shared/workflow/review-chain';
import { api } from '../api/client';

/** The person dialog's fields; no id means a new person, who needs an initial password. */
export interface PersonForm {
  id?: string;
  name: string;
  unit: string;
  roles: Role[];
  active: boolean;
  password: string;
}

/** Everyone on this workstation, active or not (admin). */
export function listPeople(): Promise<PersonSummary[]> {
  return api.invoke('people:list', {});
}

/** Creates a person (with their initial password) or updates one (the password is changed apart). */
export async function savePerson(form: PersonForm): Promise<void> {
  const creating = form.id === undefined;
  await api.invoke('people:save', {
    ...(form.id ? { id: form.id } : {}),
    name: form.name.trim(),
    unit: form.unit.trim(),
    roles: form.roles,
    active: form.active,
    ...(creating ? { password: form.password } : {}),
  });
}

/** An administrator sets someone's password anew. */
export async function resetPassword(person: Pick<PersonSummary, 'id'>, newPassword: string): Promise<void> {
  await api.invoke('people:setPassword', { personId: person.id, newPassword });
}

/** Every person's signing keys, revoked ones included, as the signed office policy lists them (admin). */
export function listKeys(): Promise<PersonKeyView[]> {
  return api.invoke('people:keys', {});
}

/** The keys of one person, the one in use first, then newest first. */
export function keysOf(keys: readonly PersonKeyView[], personId: string): PersonKeyView[] {
  return keys
    .filter((key) => key.personId === personId)
    .sort((a, b) => Number(b.revokedAt === null) - Number(a.revokedAt === null) || (b.validFrom ?? '').localeCompare(a.validFrom ?? ''));
}

/** What people compare on screen: the first 8 hex digits of the key id. */
export function shortKeyId(keyId: string): string {
  return keyId.slice(0, 8);
}

/**
 * An administrator revokes a key from now, with the reason the office policy
 * keeps; the person's sessions end and they sign nothing until a password reset.
 */
export async function revokeKey(key: Pick<PersonKeyView, 'personId' | 'keyId'>, reason: string): Promise<void> {
  await api.invoke('people:revokeKey', { personId: key.personId, keyId: key.keyId, reason: reason.trim() });
}

/** The office's review chain (初审 → 复审 → 终审 unless changed). */
export function loadOfficeChain(): Promise<ReviewChain> {
  return api.invoke('review:chainGet', {});
}

/** Saves the office's chain; articles already in review keep the chain they were submitted under. */
export function saveOfficeChain(chain: ReviewChain): Promise<ReviewChain> {
  return api.invoke('review:chainSave', chain);
}

/** The public keys this workstation trusts, as a file for the other workstations. */
export function exportTrustedKeys(): Promise<ExportedFile> {
  return api.invoke('keys:exportTrusted', {});
}

/** Adds the keys of another workstation's file; resolves with how many were new and how many are trusted now. */
export function importTrustedKeys(text: string): Promise<{ added: number; total: number }> {
  return api.invoke('keys:importTrusted', { text });
}
