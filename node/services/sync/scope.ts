import { isOfficeSettingsPath } from './office-files';

/*
 * What of a workspace the office repository carries. An allowlist, so a file
 * some later feature drops into the workspace stays on this machine until
 * someone decides it should travel:
 *
 *   office/root.json, office/policy/NNNNNN.json   the signed office policy (people, roles, public keys, review chain)
 *   articles/<id>/article.json                    the article
 *   articles/<id>/record.jsonl                    its signed record (append-only; the server refuses anything else)
 *   articles/<id>/assets/<file>                   its images
 *   tombstones/<id>.json                          what a purge left (the record as it was)
 *   sites/<id>.json, rules/<pack>.json|yaml       the office's site profiles and rule packs (./office-files.ts;
 *                                                 the office repository only, administrators only)
 *
 * Never: people.json (password hashes and sealed private keys; the policy
 * carries the public halves), trusted-keys.json and review-chain.json (the
 * policy supersedes them), settings.json (this machine's preferences),
 * .secrets/ (credentials), outbox/ (publishing jobs are this machine's),
 * index/ (a cache), sites/<id>/ (a site's live copies and build are this
 * machine's output; its theme files do not travel yet), problems.json and quarantine/ (this machine's repairs),
 * articles/<id>/revisions/ (this machine's save history; git's history is the
 * shared one), and every temporary or backup file (`.tmp-`, `.bak`).
 */

const ID = '[A-Za-z0-9_-]{6,64}';
const FILE = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';

const SYNCED: readonly RegExp[] = [
  /^office\/root\.json$/,
  /^office\/policy\/\d{6}\.json$/,
  new RegExp(`^articles/${ID}/article\\.json$`),
  new RegExp(`^articles/${ID}/record\\.jsonl$`),
  new RegExp(`^articles/${ID}/assets/${FILE}$`),
  new RegExp(`^tombstones/${ID}\\.json$`),
];

/** Whether a workspace-relative path (slash-separated) belongs in the office repository. */
export function isSyncedPath(path: string): boolean {
  if (path.includes('.tmp-') || path.endsWith('.bak')) return false;
  return SYNCED.some((pattern) => pattern.test(path)) || isOfficeSettingsPath(path);
}

/** The top-level folders any synced path starts with: the only ones a checkout or a scan needs to look at. */
export const SYNCED_ROOTS = ['office', 'articles', 'tombstones', 'sites', 'rules'] as const;

export const RECORD_PATH = new RegExp(`^articles/(${ID})/record\\.jsonl$`);
export const POLICY_PATH = /^office\/policy\/(\d{6})\.json$/;
export const ROOT_PATH = 'office/root.json';

/**
 * In a unit's drafts only: the note an article leaves when it is submitted and
 * moves to the unit's submitted work — the signed submission that continues
 * the record deleted from drafts, so the server can tell a move from a record
 * wiped out (./history-check.ts). Never written into a workspace.
 */
export const MOVED_PATH = new RegExp(`^moved/(${ID})\\.json$`);
