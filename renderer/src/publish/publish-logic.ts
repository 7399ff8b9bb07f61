import type { PublishJobView, PublishTargetConfig } from '../../../shared/api/contract';
import { SLUG_PATTERN } from '../../../shared/portal/site';
import type { MessageKey, MessageParams } from '../../../shared/i18n';

/** Frame widths of the preview's device switch, in CSS pixels. */
export const PREVIEW_WIDTHS = { desktop: 1200, mobile: 375 } as const;
export type PreviewDevice = keyof typeof PREVIEW_WIDTHS;

/**
 * How much to shrink a page `frameWidth` wide so it fits `available` pixels:
 * the desktop page is laid out at its real width (so it wraps as on the site)
 * and shown smaller, like a zoomed-out browser, never larger than 1:1.
 */
export function fitScale(available: number, frameWidth: number): number {
  if (!(available > 0) || available >= frameWidth) return 1;
  // Below a quarter the text is unreadable; scrolling sideways is better then.
  return Math.max(0.25, available / frameWidth);
}

/** Quiet time after the last change before the preview asks for a new page. */
export const PREVIEW_DEBOUNCE_MS = 500;
/** How often the publish panel asks for job progress while something is still on its way. */
export const JOB_POLL_MS = 2000;

/**
 * Points the page's content-hashed asset paths (`/assets/3fa2…-photo.jpg`)
 * at the app's own asset URLs so the preview frame can show the images before
 * anything is built. Only `src`/`href`/`poster` attributes whose whole value
 * is a known asset path are touched, never text that merely looks like one.
 */
export function rewritePreviewAssets(
  html: string,
  assetUrls: Readonly<Record<string, string>>,
  toUrl: (src: string) => string,
): string {
  return html.replace(/\b(src|href|poster)=(["'])([^"']*)\2/gi, (whole, name: string, quote: string, value: string) => {
    const src = Object.hasOwn(assetUrls, value) ? assetUrls[value] : undefined;
    return src === undefined ? whole : `${name}=${quote}${escapeAttribute(toUrl(src))}${quote}`;
  });
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;');
}

/** True while a job still has to be sent, so progress keeps being polled. */
export function hasActiveJobs(jobs: readonly Pick<PublishJobView, 'state'>[]): boolean {
  return jobs.some((job) => job.state === 'pending' || job.state === 'running');
}

/**
 * The `<input type="datetime-local">` value (the office's local time) as the
 * ISO instant `publish:enqueue` expects; '' means "now" (undefined), and a
 * value the browser cannot read is null so the panel can say so.
 */
export function scheduleToIso(localValue: string): string | undefined | null {
  const value = localValue.trim();
  if (value === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export type TargetKind = PublishTargetConfig['kind'];
export const TARGET_KINDS: readonly TargetKind[] = ['static-folder', 'static-sftp', 'wordpress', 'metaweblog'];

/** The ASCII stem of a new target's id, by kind (ids end up in file names and the outbox, so never Chinese). */
const ID_STEMS: Record<TargetKind, string> = { 'static-folder': 'folder', 'static-sftp': 'sftp', wordpress: 'wordpress', metaweblog: 'blog' };

/** `name`, or `name 2`, `name 3`… — the first that none of `taken` uses. */
export function uniqueName(name: string, taken: readonly string[]): string {
  let candidate = name;
  for (let n = 2; taken.includes(candidate); n++) candidate = `${name} ${n}`;
  return candidate;
}

/**
 * A new target of the kind named `label`, with an id made here (folder-1,
 * wordpress-2…) that none of `existingIds` uses: the admin names a target,
 * the id is only how files and the outbox refer to it. Pass the ids of every
 * site, since the server wants them unique across sites.
 */
export function newTarget(kind: TargetKind, existingIds: readonly string[], label: string = ID_STEMS[kind]): PublishTargetConfig {
  let id = '';
  for (let n = 1; id === '' || existingIds.includes(id); n++) id = `${ID_STEMS[kind]}-${n}`;
  const common = { id, label, credentialName: '' };
  switch (kind) {
    case 'static-folder':
      return { ...common, kind, folder: '' };
    case 'static-sftp':
      return { ...common, kind, host: '', port: 22, username: '', remoteDir: '', privateKeyPath: '' };
    case 'wordpress':
      return {
        ...common,
        kind,
        baseUrl: '',
        user: '',
        categoryMap: {},
        skipColumns: ['首页'],
        postStatus: 'publish',
        withdrawMode: 'draft',
        slugPattern: '',
        allowPlainHttp: false,
      };
    case 'metaweblog':
      return { ...common, kind, endpoint: '', blogId: '1', user: '', slugPattern: '', allowPlainHttp: false };
  }
}

/** A problem with one target's fields, as a message key the form shows beside it. */
export interface TargetProblem {
  targetIndex: number;
  key: MessageKey;
  params?: MessageParams;
}

const HTTP_URL = /^https?:\/\/\S+$/;

/**
 * The checks `sites:save` would refuse, made before saving so the admin sees
 * which field is wrong in their language. Field names come from `fieldName`.
 */
export function targetProblems(
  targets: readonly PublishTargetConfig[],
  fieldName: (field: MessageKey) => string,
): TargetProblem[] {
  const problems: TargetProblem[] = [];
  const seen = new Set<string>();
  targets.forEach((target, targetIndex) => {
    const required = (value: string, field: MessageKey) => {
      if (value.trim() === '') problems.push({ targetIndex, key: 'pubui.site.error.required', params: { field: fieldName(field) } });
    };
    const url = (value: string, field: MessageKey) => {
      if (value.trim() === '') required(value, field);
      else if (!HTTP_URL.test(value.trim())) problems.push({ targetIndex, key: 'pubui.site.error.badUrl', params: { field: fieldName(field) } });
    };
    if (!SLUG_PATTERN.test(target.id)) problems.push({ targetIndex, key: 'pubui.site.error.badId' });
    else if (seen.has(target.id)) problems.push({ targetIndex, key: 'pubui.site.error.duplicateId', params: { id: target.id } });
    seen.add(target.id);
    required(target.label, 'pubui.site.label');
    switch (target.kind) {
      case 'static-folder':
        required(target.folder, 'pubui.site.folder');
        break;
      case 'static-sftp':
        required(target.host, 'pubui.site.host');
        required(target.username, 'pubui.site.username');
        required(target.remoteDir, 'pubui.site.remoteDir');
        if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
          problems.push({ targetIndex, key: 'pubui.site.error.badPort' });
        }
        break;
      case 'wordpress':
        url(target.baseUrl, 'pubui.site.wpBaseUrl');
        required(target.user, 'pubui.site.username');
        break;
      case 'metaweblog':
        url(target.endpoint, 'pubui.site.endpoint');
        required(target.user, 'pubui.site.username');
        break;
    }
  });
  return problems;
}
