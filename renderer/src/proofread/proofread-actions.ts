import type { ExportedFile, ProofreadResult, RulePackList } from '../../../shared/api/contract';
import type { DefaultPackUpdate } from '../../../shared/proofread/pack-update';
import type { RulePack, RulePackInfo } from '../../../shared/proofread/packs';
import { api } from '../api/client';

/** The shipped packs and the office's own, with the office files that could not be read. */
export function loadPacks(): Promise<RulePackList> {
  return api.invoke('proofread:packs', {});
}

/** Saves an office pack (admin); the caller validated it. */
export function savePack(pack: RulePack): Promise<RulePackInfo> {
  return api.invoke('proofread:savePack', { pack });
}

/** Saves an imported pack file; the services parse and validate JSON and YAML alike, naming the entry at fault. */
export function importPack(text: string, format: 'json' | 'yaml'): Promise<RulePackInfo> {
  return api.invoke('proofread:savePack', { text, format });
}

/** What a newer version of a shipped pack would add, remove and change (admin); nothing is saved. */
export function previewDefaultUpdate(text: string, format: 'json' | 'yaml'): Promise<DefaultPackUpdate> {
  return api.invoke('proofread:previewDefaultUpdate', { text, format });
}

/** Puts the previewed version of a shipped pack in use (admin); the office's packs are untouched. */
export function acceptDefaultUpdate(text: string, format: 'json' | 'yaml', version: string): Promise<RulePackInfo> {
  return api.invoke('proofread:acceptDefaultUpdate', { text, format, version });
}

/** A pack as a JSON file to download. */
export function exportPack(pack: Pick<RulePack, 'id'>): Promise<ExportedFile> {
  return api.invoke('proofread:exportPack', { id: pack.id, format: 'json' });
}

/** Adds a shipped optional pack to the office's packs, or updates the office's copy (admin). */
export function addOptionalPack(id: string): Promise<RulePackInfo> {
  return api.invoke('proofread:addOptionalPack', { id });
}

/** Deletes an office pack (admin). */
export async function deletePack(pack: Pick<RulePack, 'id'>): Promise<void> {
  await api.invoke('proofread:deletePack', { id: pack.id });
}

/** The services' own check of the saved article; it knows which errors were let through. */
export function checkStored(articleId: string): Promise<ProofreadResult> {
  return api.invoke('proofread:check', { id: articleId });
}
