import { z } from 'zod';
import type { ArticleCounts } from '../../proofread/engine';
import type { DefaultPackUpdate } from '../../proofread/pack-update';
import type { RulePackInfo, RulePackProblem } from '../../proofread/packs';
import type { Finding } from '../../proofread/types';
import { ArticleIdSchema, channel, type ExportedFile } from './channel';

/** A shipped pack the office may add to its own (the towns of GB/T 2260), as the settings screen offers it. */
export interface OptionalPackInfo {
  id: string;
  name: string;
  source: string;
  version: string;
  entries: number;
  /** The version of the office's copy, or null when the office has not added it. */
  added: string | null;
}

/** Every rule pack, and the office files that could not be read. */
export interface RulePackList {
  packs: RulePackInfo[];
  problems: RulePackProblem[];
  /** Shipped packs the office may add; once added, each is also one of `packs` (an office pack). */
  optional: OptionalPackInfo[];
}

/** The server-side check of one article. */
export interface ProofreadResult {
  articleId: string;
  /** Sorted by start; errors let through carry `overridden`. */
  findings: Finding[];
  counts: ArticleCounts;
  /** Errors without an override: these block submit and publish. */
  blocking: number;
}

const RulePackIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'invalid rule pack id');

/**
 * Proofreading rule packs and the check the services run themselves:
 * review:submit and publish:enqueue (publish/update) are refused with
 * `conflict` while errors remain that were not let through.
 */
export const proofreadChannels = {
  /** The shipped packs and the office's own (`<workspace>/rules`), with the office files that could not be read. Any signed-in person. */
  'proofread:packs': channel<RulePackList>('signedIn')(z.object({})),
  /**
   * Saves an office pack, given as an object or as an imported JSON/YAML
   * file's text; a shipped pack's id is refused. Admins only. Returns the pack as saved.
   */
  'proofread:savePack': channel<RulePackInfo>({ admin: 'session.action.saveSettings' })(
    z.union([
      z.object({ text: z.string().min(1).max(20_000_000), format: z.enum(['json', 'yaml']) }),
      /** Validated by the service, so a mistake gets a Chinese message naming the entry. */
      z.object({ pack: z.record(z.string(), z.unknown()) }),
    ]),
  ),
  /**
   * Adds a shipped optional pack to the office's packs, or replaces the
   * office's older copy with the shipped version; it then travels with them
   * and leaves by `proofread:deletePack`. Admins only.
   */
  'proofread:addOptionalPack': channel<RulePackInfo>({ admin: 'session.action.saveSettings' })(z.object({ id: RulePackIdSchema })),
  /** Deletes an office pack (shipped packs cannot be deleted). Admins only. */
  'proofread:deletePack': channel<{ ok: true }>({ admin: 'session.action.saveSettings' })(z.object({ id: RulePackIdSchema })),
  /**
   * What a newer version of a shipped pack (a JSON or YAML file with a
   * shipped pack's id) would add, remove and change; nothing is saved. Admins only.
   */
  'proofread:previewDefaultUpdate': channel<DefaultPackUpdate>({ admin: 'session.action.saveSettings' })(
    z.object({ text: z.string().min(1).max(20_000_000), format: z.enum(['json', 'yaml']) }),
  ),
  /**
   * Puts the newer version of a shipped pack in use on this desktop (kept in
   * `<workspace>/default-packs`); the office's own packs are never touched.
   * `version` must be the one the admin previewed. Admins only.
   */
  'proofread:acceptDefaultUpdate': channel<RulePackInfo>({ admin: 'session.action.saveSettings' })(
    z.object({ text: z.string().min(1).max(20_000_000), format: z.enum(['json', 'yaml']), version: z.string().min(1).max(50) }),
  ),
  /** A pack as a JSON or YAML file. Any signed-in person. */
  'proofread:exportPack': channel<ExportedFile>('signedIn')(z.object({ id: RulePackIdSchema, format: z.enum(['json', 'yaml']) })),
  /** Checks the saved article with every pack. Any signed-in person. Returns the findings and how many block. */
  'proofread:check': channel<ProofreadResult>('signedIn')(z.object({ id: ArticleIdSchema })),
  /**
   * Lets one error through with a reason, recorded in the article's audit
   * trail. Reviewers and publishers. Returns the article's check afterwards.
   */
  'proofread:override': channel<ProofreadResult>('signedIn')(
    z.object({
      articleId: ArticleIdSchema,
      rule: z.string().min(1).max(300),
      start: z.number().int().nonnegative(),
      text: z.string().max(10_000),
      reason: z.string().trim().min(1, 'a reason is required').max(2000),
    }),
  ),
} as const;
