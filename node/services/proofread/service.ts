import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { CallContext, ExportedFile, ParsedRequestOf, ProofreadResult, RulePackList } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { Article } from '../../../shared/domain/article';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { optionalPacks } from '../../../shared/proofread/optional-packs';
import { renderFindingMessage } from '../../../shared/proofread/messages';
import { articleCounts, type CheckOptions, checkArticle } from '../../../shared/proofread/engine';
import { type DefaultPackUpdate, diffPacks } from '../../../shared/proofread/pack-update';
import { type RulePack, type RulePackInfo, type RulePacks, validateRulePack } from '../../../shared/proofread/packs';
import type { CheckInput, Finding, FindingOverride } from '../../../shared/proofread/types';
import type { AccessControl } from '../identity/identity-service';
import type { ProofreadOverrideRecorder } from '../review/review-service';
import { isMissing, writeFileAtomic } from '../store/atomic-file';
import { KeyedQueue } from '../store/keyed-queue';
import type { WorkspaceStore } from '../store/workspace-store';
import type { ArticleChecker } from './check-thread';
import { loadRulePackDir, parseRulePackText, rulePackDirStamp, serializeRulePack } from './rule-files';

/** Per-article file holding the errors a reviewer or publisher let through. */
export const OVERRIDES_FILE = 'proofread-overrides.json';

const OverrideSchema = z.object({
  rule: z.string(),
  start: z.number().int().nonnegative(),
  text: z.string(),
  reason: z.string(),
  by: z.string(),
  byName: z.string(),
  at: z.string(),
});
const OverridesFileSchema = z.object({ overrides: z.array(OverrideSchema) });

/** Options of {@link ProofreadService}. */
export interface ProofreadServiceOptions {
  /** The shipped packs (default: DEFAULT_PACKS). */
  defaults?: RulePacks;
  /** The office's packs (default `<workspace>/rules`). */
  rulesDir?: string;
  /** Where the check thread keeps built dictionaries (default `<workspace>/.cache/proofread`). */
  cacheDir?: string;
  /** Newer versions of the shipped packs an admin imported (default `<workspace>/default-packs`, not synced). */
  defaultsDir?: string;
  /** The shipped packs an office may add to its own (default: the towns pack). */
  optional?: () => RulePacks;
  now?: () => Date;
  log?: (message: string) => void;
  checkOptions?: CheckOptions;
  /** Where checks run (the host and the CLI: a worker thread with a time limit); by default on the calling thread. */
  check?: ArticleChecker;
  /**
   * The other articles that hold the same 索引号 as this one (a duplicate
   * another desktop's publication brought in by sync); absent where nothing
   * is numbered.
   */
  indexNoSharedWith?: (articleId: string) => Promise<{ indexNo: string | null; others: string[] }>;
}

/**
 * Errors that stay blocking after matching overrides: an override covers one
 * error with the same rule and the same text (the nearest one, since earlier
 * edits shift offsets); once the text changes it no longer matches.
 */
export function applyOverrides(findings: readonly Finding[], overrides: readonly FindingOverride[]): Finding[] {
  const unused = [...overrides];
  return findings.map((finding) => {
    if (finding.severity !== 'error') return finding;
    let best = -1;
    for (const [index, override] of unused.entries()) {
      if (override.rule !== finding.rule || override.text !== finding.text) continue;
      const current = unused[best];
      if (best < 0 || (current && Math.abs(override.start - finding.start) < Math.abs(current.start - finding.start))) best = index;
    }
    if (best < 0) return finding;
    const [override] = unused.splice(best, 1);
    return override ? { ...finding, overridden: override } : finding;
  });
}

/** "“中华人民共合国”（疑似…）；…" — the first few blocking errors for a refusal message. */
export function describeBlocking(blocking: readonly Finding[], limit = 3): string {
  const listed = blocking
    .slice(0, limit)
    .map((f) => (f.text ? `“${f.text}”（${f.message}）` : f.message))
    .join('；');
  return blocking.length > limit ? `${listed}；等` : listed;
}

/**
 * Proofreading on the main side: the office's rule packs in `<ws>/rules`
 * beside the shipped defaults, the server-side check, error overrides with
 * their audit record, and the gate submit and publish ask.
 */
export class ProofreadService {
  readonly #store: WorkspaceStore;
  readonly #identity: AccessControl;
  readonly #review: ProofreadOverrideRecorder;
  readonly #defaults: RulePacks;
  readonly #rulesDir: string;
  readonly #cacheDir: string;
  readonly #defaultsDir: string;
  readonly #optional: () => RulePacks;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;
  readonly #checkOptions: CheckOptions;
  readonly #check: ArticleChecker;
  readonly #indexNoSharedWith: NonNullable<ProofreadServiceOptions['indexNoSharedWith']>;
  readonly #ops = new KeyedQueue();
  /** Kept as one array so the engine's compiled automaton is reused until a pack changes. */
  #cache: { list: RulePackList; packs: RulePacks; stamp: string } | null = null;

  constructor(
    store: WorkspaceStore,
    identity: AccessControl,
    review: ProofreadOverrideRecorder,
    options: ProofreadServiceOptions = {},
  ) {
    this.#store = store;
    this.#identity = identity;
    this.#review = review;
    this.#defaults = options.defaults ?? DEFAULT_PACKS;
    this.#rulesDir = options.rulesDir ?? join(store.dir, 'rules');
    this.#cacheDir = options.cacheDir ?? join(store.dir, '.cache', 'proofread');
    this.#defaultsDir = options.defaultsDir ?? join(store.dir, 'default-packs');
    this.#optional = options.optional ?? optionalPacks;
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log ?? (() => {});
    this.#checkOptions = options.checkOptions ?? {};
    this.#check = options.check ?? (async (input, packs, checkOptions) => checkArticle(input, packs, checkOptions));
    this.#indexNoSharedWith = options.indexNoSharedWith ?? (async () => ({ indexNo: null, others: [] }));
  }

  async #loaded(): Promise<{ list: RulePackList; packs: RulePacks }> {
    // A pack another desktop's administrator saved arrives by the office sync: the files decide, not the cache.
    const stamp = `${await rulePackDirStamp(this.#rulesDir)}#${await rulePackDirStamp(this.#defaultsDir)}`;
    if (this.#cache?.stamp === stamp) return this.#cache;
    const office = await loadRulePackDir(this.#rulesDir);
    for (const problem of office.problems) this.#log(`rule pack ${problem.file}: ${problem.message}`);
    const imported = await this.#importedDefaults();
    const defaults: RulePackInfo[] = this.#defaults.map((pack) => ({ pack: imported.get(pack.id) ?? pack, origin: 'default' }));
    const optional = this.#optional().map((pack) => ({
      id: pack.id,
      name: pack.name,
      source: pack.source,
      version: pack.version,
      entries: pack.entries.length,
      added: office.packs.find((info) => info.pack.id === pack.id)?.pack.version ?? null,
    }));
    const list: RulePackList = { packs: [...defaults, ...office.packs], problems: office.problems, optional };
    this.#cache = { list, packs: list.packs.map((info) => info.pack), stamp };
    return this.#cache;
  }

  /** proofread:packs */
  async listPacks(): Promise<RulePackList> {
    return (await this.#loaded()).list;
  }

  /** Every pack a check uses (the same array until a pack is saved or deleted). */
  async packs(): Promise<RulePacks> {
    return (await this.#loaded()).packs;
  }

  /** proofread:savePack — admin; writes `<ws>/rules/<id>.json`, never a default pack. */
  async savePack(request: ParsedRequestOf<'proofread:savePack'>, context: CallContext): Promise<RulePackInfo> {
    this.#identity.requireAdmin(context, 'session.action.saveSettings');
    const parsed = 'pack' in request ? validateRulePack(request.pack) : parseRulePackText(request.text, request.format);
    if (!parsed.ok) throw new ApiError('invalid_request', `规则包有误：${parsed.message}`);
    const pack = parsed.pack;
    if (this.#defaults.some((d) => d.id === pack.id)) {
      throw new ApiError('conflict', `“${pack.id}”是内置规则包的 id，请为本单位的规则包另取一个 id`);
    }
    return this.#ops.run('packs', async () => {
      await mkdir(this.#rulesDir, { recursive: true });
      const { list } = await this.#loaded();
      const previous = list.packs.find((p) => p.origin === 'office' && p.pack.id === pack.id);
      const file = `${pack.id}.json`;
      await writeFileAtomic(join(this.#rulesDir, file), serializeRulePack(pack, 'json'), { backup: true });
      // A YAML file of the same pack would otherwise shadow or duplicate the saved one.
      if (previous?.file && previous.file !== file) await unlink(join(this.#rulesDir, previous.file)).catch(() => {});
      this.#cache = null;
      return { pack, origin: 'office', file };
    });
  }

  /**
   * The newer versions of shipped packs imported on this desktop, each read
   * and validated again (a file that no longer validates, or names no shipped
   * pack, is logged and the shipped version used).
   */
  async #importedDefaults(): Promise<Map<string, RulePack>> {
    const found = await loadRulePackDir(this.#defaultsDir);
    for (const problem of found.problems) this.#log(`default pack update ${problem.file}: ${problem.message}`);
    const imported = new Map<string, RulePack>();
    for (const info of found.packs) {
      const shipped = this.#defaults.find((d) => d.id === info.pack.id);
      if (shipped && shipped.kind === info.pack.kind && info.file === `${info.pack.id}.json`) imported.set(info.pack.id, info.pack);
      else this.#log(`default pack update ${info.file}: not a shipped pack of the same kind, ignored`);
    }
    return imported;
  }

  /** A newer version of a shipped pack, parsed and checked against the one in use. */
  async #defaultUpdate(text: string, format: 'json' | 'yaml'): Promise<{ pack: RulePack; update: DefaultPackUpdate }> {
    const parsed = parseRulePackText(text, format);
    if (!parsed.ok) throw new ApiError('invalid_request', `规则包有误：${parsed.message}`);
    const pack = parsed.pack;
    const current = (await this.#loaded()).list.packs.find((p) => p.origin === 'default' && p.pack.id === pack.id)?.pack;
    if (!current) {
      throw new ApiError('invalid_request', `“${pack.id}”不是内置规则包的 id；本单位自己的规则包请用“导入规则包”`);
    }
    if (current.kind !== pack.kind) throw new ApiError('invalid_request', `内置规则包“${current.name}”的类型是 ${current.kind}，文件里是 ${pack.kind}`);
    if (current.version === pack.version) throw new ApiError('conflict', `内置规则包“${current.name}”已是 ${pack.version} 版`);
    return { pack, update: diffPacks(current, pack) };
  }

  /** proofread:previewDefaultUpdate — admin; saves nothing. */
  async previewDefaultUpdate(request: ParsedRequestOf<'proofread:previewDefaultUpdate'>, context: CallContext): Promise<DefaultPackUpdate> {
    this.#identity.requireAdmin(context, 'session.action.saveSettings');
    return (await this.#defaultUpdate(request.text, request.format)).update;
  }

  /** proofread:acceptDefaultUpdate — admin; writes `<ws>/default-packs/<id>.json`, never an office pack. */
  async acceptDefaultUpdate(request: ParsedRequestOf<'proofread:acceptDefaultUpdate'>, context: CallContext): Promise<RulePackInfo> {
    this.#identity.requireAdmin(context, 'session.action.saveSettings');
    return this.#ops.run('packs', async () => {
      const { pack } = await this.#defaultUpdate(request.text, request.format);
      if (pack.version !== request.version) {
        throw new ApiError('conflict', `文件的版本是 ${pack.version}，与预览的 ${request.version} 不同，请重新预览`);
      }
      await mkdir(this.#defaultsDir, { recursive: true });
      await writeFileAtomic(join(this.#defaultsDir, `${pack.id}.json`), serializeRulePack(pack, 'json'), { backup: true });
      this.#cache = null;
      this.#log(`default pack ${pack.id} updated to version ${pack.version}`);
      return { pack, origin: 'default' };
    });
  }

  /** proofread:addOptionalPack — admin; writes the shipped version as `<ws>/rules/<id>.json`, an office pack from then on. */
  async addOptionalPack(id: string, context: CallContext): Promise<RulePackInfo> {
    this.#identity.requireAdmin(context, 'session.action.saveSettings');
    const pack = this.#optional().find((p) => p.id === id);
    if (!pack) throw new ApiError('not_found', `没有 id 为“${id}”的可选词库`);
    return this.#ops.run('packs', async () => {
      await mkdir(this.#rulesDir, { recursive: true });
      const previous = (await this.#loaded()).list.packs.find((p) => p.origin === 'office' && p.pack.id === id);
      const file = `${id}.json`;
      await writeFileAtomic(join(this.#rulesDir, file), serializeRulePack(pack, 'json'), { backup: true });
      if (previous?.file && previous.file !== file) await unlink(join(this.#rulesDir, previous.file)).catch(() => {});
      this.#cache = null;
      this.#log(`optional pack ${id} added at version ${pack.version}`);
      return { pack, origin: 'office', file };
    });
  }

  /** proofread:deletePack — admin; office packs only. */
  async deletePack(id: string, context: CallContext): Promise<{ ok: true }> {
    this.#identity.requireAdmin(context, 'session.action.saveSettings');
    if (this.#defaults.some((d) => d.id === id)) throw new ApiError('forbidden', '内置规则包不能删除');
    return this.#ops.run('packs', async () => {
      const info = (await this.#loaded()).list.packs.find((p) => p.origin === 'office' && p.pack.id === id);
      if (!info?.file) throw new ApiError('not_found', `没有 id 为“${id}”的本单位规则包`);
      await unlink(join(this.#rulesDir, info.file));
      this.#cache = null;
      return { ok: true as const };
    });
  }

  /** proofread:exportPack */
  async exportPack(id: string, format: 'json' | 'yaml'): Promise<ExportedFile> {
    const info = (await this.#loaded()).list.packs.find((p) => p.pack.id === id);
    if (!info) throw new ApiError('not_found', `没有 id 为“${id}”的规则包`);
    return {
      fileName: `${id}.${format === 'json' ? 'json' : 'yaml'}`,
      mime: format === 'json' ? 'application/json' : 'application/yaml',
      content: serializeRulePack(info.pack, format),
    };
  }

  /** Checks any article content with the workspace's packs (CLI files, tests). */
  async checkInput(input: CheckInput, overrides: readonly FindingOverride[] = []): Promise<Omit<ProofreadResult, 'articleId'>> {
    const findings = applyOverrides(await this.#check(input, await this.packs(), this.#checkOptions, { cacheDir: this.#cacheDir }), overrides);
    return {
      findings,
      counts: articleCounts(input),
      blocking: findings.filter((f) => f.severity === 'error' && !f.overridden).length,
    };
  }

  async #checkArticle(article: Article): Promise<ProofreadResult> {
    const overrides = await this.#overrides(article.id);
    const result = await this.checkInput({ meta: article.meta, doc: article.doc }, overrides);
    const clashes = applyOverrides(await this.#indexNoFindings(article), overrides);
    if (clashes.length === 0) return { articleId: article.id, ...result };
    const findings = [...result.findings, ...clashes];
    return { articleId: article.id, ...result, findings, blocking: findings.filter((f) => f.severity === 'error' && !f.overridden).length };
  }

  /**
   * 索引号 uniqueness across the office: the number is the workspace's, not
   * the text's, so it is checked here rather than by the rule engine. One
   * error per other article holding the same number, naming it.
   */
  async #indexNoFindings(article: Article): Promise<Finding[]> {
    if (!article.meta.disclosure) return [];
    const { indexNo, others } = await this.#indexNoSharedWith(article.id);
    if (!indexNo) return [];
    return others.map((otherId) => {
      const params = { indexNo, other: this.#store.summary(otherId)?.title || otherId };
      return {
        rule: `metadata:index-no-duplicate:${otherId}`,
        family: 'metadata',
        severity: 'error' as const,
        start: 0,
        end: 0,
        text: indexNo,
        message: renderFindingMessage('zh-CN', 'proof.finding.indexNoDuplicate', params),
        messageKey: 'proof.finding.indexNoDuplicate' as const,
        params,
        field: 'disclosure.indexNo',
      };
    });
  }

  /** proofread:check — the saved article. */
  async check(id: string, context: CallContext): Promise<ProofreadResult> {
    this.#identity.requirePerson(context);
    return this.#checkArticle(await this.#store.get(id));
  }

  /** The gate: throws `conflict` listing the first errors unless every error was overridden. */
  async assertNoBlockingErrors(article: Article, action: 'submit' | 'publish'): Promise<void> {
    const result = await this.#checkArticle(article);
    if (result.blocking === 0) return;
    const blocking = result.findings.filter((f) => f.severity === 'error' && !f.overridden);
    const verb = action === 'submit' ? '提交审核' : '发布';
    throw new ApiError(
      'conflict',
      `校对还有 ${blocking.length} 处错误，不能${verb}：${describeBlocking(blocking)}。请先修改，或由审核人、发布人填写理由后放行。`,
    );
  }

  /** proofread:override — reviewer or publisher, with a reason; recorded in the article's audit trail. */
  async override(request: ParsedRequestOf<'proofread:override'>, context: CallContext): Promise<ProofreadResult> {
    const actor = this.#identity.requirePerson(context);
    if (!actor.roles.includes('reviewer') && !actor.roles.includes('publisher')) {
      throw new ApiError('forbidden', '只有审核人或发布人可以放行校对错误');
    }
    const reason = request.reason.trim();
    if (!reason) throw new ApiError('invalid_request', '放行校对错误必须填写理由');
    return this.#ops.run(request.articleId, async () => {
      const article = await this.#store.get(request.articleId);
      const current = await this.#checkArticle(article);
      const target = current.findings.find(
        (f) => f.severity === 'error' && !f.overridden && f.rule === request.rule && f.start === request.start && f.text === request.text,
      );
      if (!target) throw new ApiError('not_found', '这处校对错误已不存在（文本可能已修改），请重新检查');
      const override: FindingOverride = {
        rule: target.rule,
        start: target.start,
        text: target.text,
        reason,
        by: actor.id,
        byName: actor.name,
        at: this.#now().toISOString(),
      };
      await this.#review.recordProofreadOverride(article.id, context, target, reason);
      await this.#writeOverrides(article.id, [...(await this.#overrides(article.id)), override]);
      return this.#checkArticle(article);
    });
  }

  async #overrides(articleId: string): Promise<FindingOverride[]> {
    const file = join(this.#store.articleFolder(articleId), OVERRIDES_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    try {
      return OverridesFileSchema.parse(JSON.parse(text)).overrides;
    } catch {
      // Unreadable overrides block again rather than let errors through; the file is kept aside.
      const aside = `${file}.damaged-${randomUUID().slice(0, 8)}`;
      await rename(file, aside).catch(() => {});
      this.#log(`${OVERRIDES_FILE} of ${articleId} is damaged; moved to ${aside}`);
      return [];
    }
  }

  async #writeOverrides(articleId: string, overrides: FindingOverride[]): Promise<void> {
    await writeFileAtomic(
      join(this.#store.articleFolder(articleId), OVERRIDES_FILE),
      `${JSON.stringify({ overrides }, null, 2)}\n`,
    );
  }
}

export type { RulePack };
