import { z } from 'zod';
import { ArticleIdSchema, channel, type ExportedFile } from './channel';

export interface PackageArticleInfo {
  id: string;
  title: string;
  contentHash: string;
  status: string;
  approvals: number;
}

export interface PackageVerifyResult {
  ok: boolean;
  /** What was checked, in Chinese, in order (also on failure: what passed first). */
  checks: string[];
  /** Why it was refused (Chinese). */
  error?: string;
  errorCode?: string;
  exporter?: { personId: string; name: string; keyId: string };
  articles?: PackageArticleInfo[];
}

export interface PackageImportItem {
  /** The id in the package. */
  sourceId: string;
  title: string;
  /**
   * created: new here; identical: already here, nothing done; updated: same
   * text, approvals made elsewhere taken over; copy: local text differs, the
   * package's version was imported beside it for the user to choose.
   */
  outcome: 'created' | 'identical' | 'updated' | 'copy';
  /** The local article id holding the imported content. */
  articleId: string;
  /** For 'copy': the local article it conflicts with. */
  conflictOf: string | null;
}

export interface PackageImportResult {
  ok: boolean;
  checks: string[];
  error?: string;
  errorCode?: string;
  items: PackageImportItem[];
}

/** Base64 of a package file; 200 MB of base64 at most. */
const PackageData = z.string().min(1).max(280_000_000);

/**
 * Articles with their review record carried between workstations: a signed
 * package (.gazette-package) whose signatures are checked against the
 * trusted-key list of the receiving workstation.
 */
export const packageChannels = {
  /**
   * Packs articles with their revisions, review record and assets, signed
   * with the caller's key. Any signed-in person whose key is unlocked.
   * Returns the package file in base64.
   */
  'package:export': channel<ExportedFile>('signedIn')(z.object({ ids: z.array(ArticleIdSchema).min(1).max(500) })),
  /** Checks a package against the trusted keys without importing anything. Any signed-in person. Returns every check made. */
  'package:verify': channel<PackageVerifyResult>('signedIn')(z.object({ dataBase64: PackageData })),
  /**
   * Verifies a package, then imports its articles (nothing at all when a
   * check fails). Writers and admins. Returns what became of each article.
   */
  'package:import': channel<PackageImportResult>('signedIn')(z.object({ dataBase64: PackageData })),
  /** This workstation's trusted public keys as a file, for another workstation to import. Admins only. */
  'keys:exportTrusted': channel<ExportedFile>({ admin: 'session.action.manageKeys' })(z.object({})),
  /** Adds the keys of a trusted-key file, merging by key id. Admins only. Returns how many were new and the total. */
  'keys:importTrusted': channel<{ added: number; total: number }>({ admin: 'session.action.manageKeys' })(z.object({ text: z.string().min(1).max(10_000_000) })),
} as const;
