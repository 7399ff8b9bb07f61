import { z } from 'zod';
import { type SiteProfile, SiteProfileSchema, SLUG_PATTERN } from '../../portal/site';
import { channel } from './channel';

export const SiteIdSchema = z.string().regex(SLUG_PATTERN, 'invalid site id');
export const TargetIdSchema = z.string().regex(SLUG_PATTERN, 'target id must be lowercase ASCII letters, digits, - or _');

const TargetCommon = {
  id: TargetIdSchema,
  label: z.string().trim().min(1).max(100),
  /** Name the secret is stored under in the credential store; '' means `target:<id>`. */
  credentialName: z.string().trim().max(200).default(''),
};

/** Where one site's articles go. Secrets are never part of it (see targets:setCredential). */
export const PublishTargetConfigSchema = z.discriminatedUnion('kind', [
  /** Static site copied into a folder (a network share, a web server's document root). */
  z.object({ ...TargetCommon, kind: z.literal('static-folder'), folder: z.string().trim().min(1) }),
  /** Static site uploaded by SFTP; the credential is the password (or the key's passphrase with privateKeyPath). */
  z.object({
    ...TargetCommon,
    kind: z.literal('static-sftp'),
    host: z.string().trim().min(1),
    port: z.number().int().min(1).max(65535).default(22),
    username: z.string().trim().min(1),
    remoteDir: z.string().trim().min(1),
    privateKeyPath: z.string().trim().default(''),
  }),
  /** WordPress REST API with an application password (the credential). */
  z.object({
    ...TargetCommon,
    kind: z.literal('wordpress'),
    baseUrl: z.string().trim().regex(/^https?:\/\/\S+$/, 'baseUrl must be an http(s) URL'),
    user: z.string().trim().min(1),
    categoryMap: z.record(z.string(), z.number().int().positive()).default({}),
    skipColumns: z.array(z.string()).default(['首页']),
    postStatus: z.enum(['publish', 'draft', 'pending']).default('publish'),
    withdrawMode: z.enum(['draft', 'trash']).default('draft'),
    /** The post slug: '' is the title's pinyin; else a pattern of {title} {yyyy} {mm} {dd} {id} (see postSlug). */
    slugPattern: z.string().trim().max(100).default(''),
    /** An admin's explicit choice to send this target's password over plain http (see {@link plainHttpRefusal}). */
    allowPlainHttp: z.boolean().default(false),
  }),
  /** MetaWeblog XML-RPC; the credential is the account password. */
  z.object({
    ...TargetCommon,
    kind: z.literal('metaweblog'),
    endpoint: z.string().trim().regex(/^https?:\/\/\S+$/, 'endpoint must be an http(s) URL'),
    blogId: z.string().trim().default('1'),
    user: z.string().trim().min(1),
    /** The post slug (wp_slug, where the server takes one), as for WordPress. */
    slugPattern: z.string().trim().max(100).default(''),
    /** An admin's explicit choice to send this target's password over plain http (see {@link plainHttpRefusal}). */
    allowPlainHttp: z.boolean().default(false),
  }),
]);
export type PublishTargetConfig = z.infer<typeof PublishTargetConfigSchema>;

/** http to this machine never crosses a network. */
const LOCAL_HTTP = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i;

/**
 * Why a WordPress or MetaWeblog target may not be used as configured, or
 * null: both send the account's password with every request, so plain http
 * would show it to anyone on the network. http is allowed to 127.0.0.1 or
 * localhost, or where an admin set `allowPlainHttp` on the target.
 */
export function plainHttpRefusal(target: PublishTargetConfig): string | null {
  if (target.kind !== 'wordpress' && target.kind !== 'metaweblog') return null;
  const url = target.kind === 'wordpress' ? target.baseUrl : target.endpoint;
  if (!/^http:/i.test(url) || LOCAL_HTTP.test(url) || target.allowPlainHttp) return null;
  return `发布目标「${target.label}」的地址 ${url} 必须以 https:// 开头：http 会让账号密码在网络上明文传送（只有本机 127.0.0.1、localhost 可用 http，或由管理员为该目标明确允许明文 http）`;
}

/** A site file (`<workspace>/sites/<id>.json`): the portal profile plus its publishing targets. */
export const SiteConfigSchema = z.intersection(
  SiteProfileSchema,
  z.object({ targets: z.array(PublishTargetConfigSchema).max(50).default([]) }),
);

/** A site as an admin saves it: also every remote target on https (see {@link plainHttpRefusal}). */
const SiteSaveSchema = SiteConfigSchema.superRefine((site, ctx) => {
  site.targets.forEach((target, index) => {
    const refusal = plainHttpRefusal(target);
    if (refusal) ctx.addIssue({ code: 'custom', path: ['targets', index, target.kind === 'wordpress' ? 'baseUrl' : 'endpoint'], message: refusal });
  });
});
export type SiteConfig = SiteProfile & { targets: PublishTargetConfig[] };

/** A site in the site picker. */
export interface SiteSummary {
  id: string;
  name: string;
  baseUrl: string;
  targets: { id: string; kind: PublishTargetConfig['kind']; label: string; hasCredential: boolean }[];
  /** The site has its own theme files in `<workspace>/sites/<id>/theme/`. */
  customTheme: boolean;
}

/** How a connection test went: `ok`, or what stands in the way, for the form to say in the reader's language. */
export type ConnectionOutcome =
  | 'ok'
  | 'unreachable'
  | 'timeout'
  | 'certificate'
  | 'auth'
  | 'forbidden'
  | 'not_wordpress'
  | 'not_metaweblog'
  | 'key_file'
  | 'insecure'
  | 'no_password'
  | 'busy'
  | 'failed';

/** What targets:test answers. */
export interface ConnectionTestResult {
  ok: boolean;
  outcome: ConnectionOutcome;
  /** The account the server knows the login as (WordPress's display name, the SSH or blog user). */
  account?: string;
  /** The server's or the system's own words, shown after the plain sentence. */
  detail?: string;
  /** SFTP: logged in, but the remote folder does not exist yet. */
  remoteDirMissing?: boolean;
}

/** The portal sites the office publishes to, and the targets (servers, folders) of each. */
export const siteChannels = {
  /** Every site, with its targets and whether each has a stored credential; the default site is created on first use. Any signed-in person. */
  'sites:list': channel<SiteSummary[]>('signedIn')(z.object({})),
  /** One site's profile and targets. Any signed-in person. */
  'sites:get': channel<SiteConfig>('signedIn')(z.object({ id: SiteIdSchema })),
  /**
   * Writes a site file. Admins only. Target ids must be unique across all
   * sites, because the publishing outbox knows targets by id alone.
   */
  'sites:save': channel<SiteConfig>({ admin: 'session.action.saveSettings' })(SiteSaveSchema),
  /**
   * Stores a target's secret (password, application password), encrypted.
   * Publishers and admins. Returns the name it is stored under, never the secret.
   */
  'targets:setCredential': channel<{ ok: true; name: string }>('signedIn')(
    z.object({ siteId: SiteIdSchema.optional(), targetId: TargetIdSchema, secret: z.string().min(1).max(10_000) }),
  ),
  /**
   * Tries to log in to a remote target as the form shows it (saved or not) and
   * reports how it went; changes nothing anywhere. `secret` is the password
   * typed in the form; without one the stored password is used, but only for
   * the saved target's own address and account. Publishers and admins (checked
   * by the service, as for targets:setCredential); time-limited.
   */
  'targets:test': channel<ConnectionTestResult>('signedIn')(
    z
      .object({
        siteId: SiteIdSchema.optional(),
        target: PublishTargetConfigSchema,
        secret: z.string().max(10_000).optional(),
      })
      .strict()
      .refine((request) => request.target.kind !== 'static-folder', { message: 'a folder target has no connection to test', path: ['target', 'kind'] }),
  ),
} as const;
