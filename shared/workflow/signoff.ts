import type { Locale } from '../domain/settings';
import { type MessageKey, translate } from '../i18n';
import { formatOfficeTime } from '../text/office-time';
import { shortHash } from './canonical';

/** How an approval's Ed25519 signature checked out against the trusted keys. */
export type SignatureStatus = 'valid' | 'invalid' | 'missing' | 'unknownKey';

/** One row of the sheet: a stage and (if any) its approval. */
export interface SignoffStage {
  stageId: string;
  stageName: string;
  /** Name of the person who approved; null while the stage is pending. */
  reviewer: string | null;
  /** When they approved (ISO instant); printed in the office's zone. */
  at: string | null;
  opinion: string;
  contentHash: string | null;
  signature: SignatureStatus | null;
  /** The approval is of the current text. */
  current: boolean;
  /**
   * The approval is of the text as it stood before a later reviewer corrected
   * it, and the office's rules keep it (a correction at 终审 does not send the
   * text back to 初审). Printed as 已审核（修改前版本）rather than as stale.
   */
  approvedEarlierVersion?: boolean;
  /** Who made the correction that followed this approval, and when (ISO instant); shown beside 已审核（修改前版本）. */
  supersededBy?: { name: string; at: string | null } | null;
}

/**
 * Everything the 审核表 prints; built by the services (`SignoffService`),
 * rendered by {@link signoffHtml} or as PDF (`node/services/review/signoff-pdf.ts`).
 *
 * What the builder fills:
 * - always: `articleId`, `title`, `column`, `source`, `date` (the article's
 *   publishAt, office-local), `status`, `submittedBy`, `stages` (one per stage
 *   of the article's chain, in order), `invalidated`, `currentHash`,
 *   `fullyApproved`, `printedAt` (ISO instant).
 * - `officeName`: the office's name as it heads its forms (from the office
 *   policy or settings); the heading is left out while it is null.
 * - `writer`: the 拟稿人's name. Until it is filled the sheet prints
 *   `submittedBy` there (in this workflow the writer submits their own text).
 * - `confidentialityReview`: true when the office's settings ask for a
 *   保密审查 row; it is printed empty, to be filled in by hand.
 * - `articleText`: the article's paragraphs as plain text when the office's
 *   settings ask for the text to be appended; null or absent leaves it out.
 * - `stages[].approvedEarlierVersion` and `stages[].supersededBy`: for an
 *   approval the rules kept across a reviewer's correction.
 * - `recordProblems`: the messages of `verifyArticleRecord(...).problems`.
 *   When non-empty the sheet says 记录异常 in large type, lists them, and never
 *   says 当前内容已通过全部审核环节, whatever `fullyApproved` says.
 */
export interface SignoffSheet {
  articleId: string;
  title: string;
  column: string[];
  source: string;
  date: string | null;
  status: string;
  submittedBy: string | null;
  stages: SignoffStage[];
  invalidated: { stageName: string; reviewer: string; at: string; contentHash: string; reason: string }[];
  currentHash: string;
  fullyApproved: boolean;
  printedAt: string;
  officeName?: string | null;
  writer?: string | null;
  confidentialityReview?: boolean;
  articleText?: string[] | null;
  recordProblems?: string[];
  /** Discussions not yet resolved: the sheet lists them so nobody files an article with open questions unseen. */
  openComments?: { author: string; at: string; quote: string | null; body: string; replies: number }[];
}

const VERIFY_PREFIX = 'gazette:verify:';

/**
 * What the sheet's QR code encodes: `gazette:verify:<articleId>:<contentHash>`,
 * the article id and the full SHA-256 (64 lowercase hex digits) of the content
 * the sheet was printed for. `gazette verify` accepts this string (scanned or
 * typed) and checks that the article's current content and record match it.
 */
export function signoffVerifyCode(articleId: string, contentHash: string): string {
  return `${VERIFY_PREFIX}${articleId}:${contentHash}`;
}

/** Reads a {@link signoffVerifyCode} back; null when the text is not one (wrong prefix, id or hash). */
export function parseSignoffVerifyCode(text: string): { articleId: string; contentHash: string } | null {
  const match = /^gazette:verify:([A-Za-z0-9_-]{1,64}):([0-9a-f]{64})$/.exec(text.trim());
  return match ? { articleId: match[1] ?? '', contentHash: match[2] ?? '' } : null;
}

/** A QR symbol as rows of dark (true) and light modules, without the quiet zone. */
export type QrModules = readonly (readonly boolean[])[];

/** One labelled cell of the sheet's header table. */
export interface SignoffField {
  label: string;
  value: string;
}

/** One stage row as printed; the 签字 cell is always left empty for a pen. */
export interface SignoffRow {
  stageId: string;
  stage: string;
  opinion: string;
  /** Printed under the opinion: 待审核, 已审核（修改前版本）, … */
  notes: string[];
  reviewer: string;
  /** The electronic signature's status, printed under the name. */
  signature: string;
  time: string;
  /** Hash of the approved content, for machines (the HTML carries it as an attribute); '' when pending. */
  contentHash: string;
}

/**
 * The 审核表 laid out as words, shared by the HTML and the PDF so both print
 * the same form: heading, header table, one row per stage, verdict and the
 * verification block.
 */
export interface SignoffForm {
  officeName: string | null;
  heading: string;
  /** The title on a row of its own, then 栏目/来源 and 拟稿人/发布日期 side by side. */
  titleField: SignoffField;
  fieldPairs: [SignoffField, SignoffField][];
  columns: { stage: string; opinion: string; reviewer: string; time: string; handSign: string };
  rows: SignoffRow[];
  /** The 保密审查 row's label, or null when the office does not ask for one. */
  confidentiality: string | null;
  invalidatedTitle: string;
  invalidated: string[];
  openCommentsTitle: string;
  /** One line per unresolved discussion; empty when none. */
  openComments: string[];
  /** 记录异常 and its problems; null when the record verified. */
  recordProblems: { title: string; note: string; problems: string[] } | null;
  /** Never 当前内容已通过全部审核环节 while the record has problems. */
  verdict: string;
  approved: boolean;
  shortHashLabel: string;
  shortHash: string;
  verifyCode: string;
  verifyCodeLabel: string;
  verifyHint: string;
  printedAt: string;
  articleTextTitle: string;
  articleText: string[] | null;
}

/** The words of the 审核表, in `locale`, with every time in the office's zone. */
export function signoffForm(sheet: SignoffSheet, locale: Locale = 'zh-CN'): SignoffForm {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(locale, key, params);
  const none = t('signoff.none');
  const field = (key: MessageKey, value: string | null | undefined): SignoffField => ({ label: t(key), value: value?.trim() || none });
  const problems = (sheet.recordProblems ?? []).filter((p) => p.trim() !== '');
  const approved = sheet.fullyApproved && problems.length === 0;
  const verdict = problems.length > 0 ? t('signoff.recordProblemsVerdict') : t(approved ? 'signoff.fullyApproved' : 'signoff.notApproved');
  return {
    officeName: sheet.officeName?.trim() || null,
    heading: t('signoff.heading'),
    titleField: field('signoff.article', sheet.title),
    fieldPairs: [
      [field('signoff.column', sheet.column.join(' > ')), field('signoff.source', sheet.source)],
      [field('signoff.writer', sheet.writer ?? sheet.submittedBy), field('signoff.date', formatOfficeTime(sheet.date))],
    ],
    columns: {
      stage: t('signoff.stage'),
      opinion: t('signoff.opinion'),
      reviewer: t('signoff.reviewer'),
      time: t('signoff.time'),
      handSign: t('signoff.handSign'),
    },
    rows: sheet.stages.map((stage) => signoffRow(stage, locale)),
    confidentiality: sheet.confidentialityReview ? t('signoff.confidentiality') : null,
    invalidatedTitle: t('signoff.invalidated'),
    invalidated: sheet.invalidated.map(
      (a) => `${a.stageName} · ${a.reviewer} · ${formatOfficeTime(a.at)} · ${shortHash(a.contentHash)} — ${a.reason}`,
    ),
    openCommentsTitle: t('signoff.openComments'),
    openComments: (sheet.openComments ?? []).map(
      (c) =>
        `${c.author} · ${formatOfficeTime(c.at)}${c.quote ? ` ·「${c.quote}」` : ''}：${c.body}${c.replies > 0 ? t('signoff.openCommentReplies', { n: String(c.replies) }) : ''}`,
    ),
    recordProblems:
      problems.length > 0 ? { title: t('signoff.recordProblems'), note: t('signoff.recordProblemsNote'), problems } : null,
    verdict,
    approved,
    shortHashLabel: t('signoff.shortHash'),
    shortHash: shortHash(sheet.currentHash),
    verifyCode: signoffVerifyCode(sheet.articleId, sheet.currentHash),
    verifyCodeLabel: t('signoff.verifyCode'),
    verifyHint: t('signoff.verifyHint'),
    printedAt: `${t('signoff.printedAt')}：${formatOfficeTime(sheet.printedAt)}`,
    articleTextTitle: t('signoff.articleText'),
    articleText: sheet.articleText && sheet.articleText.length > 0 ? sheet.articleText : null,
  };
}

function signoffRow(stage: SignoffStage, locale: Locale): SignoffRow {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(locale, key, params);
  const base = { stageId: stage.stageId, stage: stage.stageName };
  if (!stage.reviewer) {
    return { ...base, opinion: '', notes: [t('signoff.pending')], reviewer: '', signature: '', time: '', contentHash: '' };
  }
  const notes: string[] = [];
  if (stage.approvedEarlierVersion) {
    notes.push(t('signoff.earlierVersion'));
    if (stage.supersededBy) {
      notes.push(t('signoff.supersededBy', { name: stage.supersededBy.name, at: formatOfficeTime(stage.supersededBy.at) }));
    }
  } else if (!stage.current) {
    notes.push(t('signoff.stale'));
  }
  return {
    ...base,
    opinion: stage.opinion,
    notes,
    reviewer: stage.reviewer,
    signature: stage.signature ? t(`signoff.signature.${stage.signature}`) : '',
    time: formatOfficeTime(stage.at),
    contentHash: stage.contentHash ?? '',
  };
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/** The QR symbol as an inline SVG, one path, with a four-module quiet zone as scanners expect. */
function qrSvg(modules: QrModules, label: string): string {
  const quiet = 4;
  const size = modules.length + quiet * 2;
  let path = '';
  modules.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x + quiet} ${y + quiet}h1v1h-1z`;
    });
  });
  return `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges" role="img" aria-label="${escapeHtml(label)}"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}

/**
 * The sign-off sheet as a standalone printable HTML document (no scripts, no
 * external resources), laid out as the PDF is and printing on A4. `qr` is the
 * symbol of the verification code (the services compute it, since the QR
 * encoder is a Node package); without it the code is printed as text only.
 */
export function signoffHtml(sheet: SignoffSheet, locale: Locale = 'zh-CN', qr: QrModules | null = null): string {
  const form = signoffForm(sheet, locale);
  const e = escapeHtml;
  const fieldCells = (f: SignoffField) => `<th>${e(f.label)}</th><td>${e(f.value)}</td>`;
  const header = [
    `<tr>${fieldCells(form.titleField).replace('<td>', '<td colspan="3">')}</tr>`,
    ...form.fieldPairs.map(([a, b]) => `<tr>${fieldCells(a)}${fieldCells(b)}</tr>`),
  ].join('\n');
  const rows = form.rows
    .map((row) => {
      const notes = row.notes.map((n) => `<div class="note">${e(n)}</div>`).join('');
      const signature = row.signature ? `<div class="note">${e(row.signature)}</div>` : '';
      return `<tr class="stage" data-stage="${e(row.stageId)}" data-hash="${e(row.contentHash)}"><th>${e(row.stage)}</th><td class="opinion">${e(row.opinion)}${notes}</td><td class="who">${e(row.reviewer)}${signature}</td><td class="who">${e(row.time)}</td><td class="sign"></td></tr>`;
    })
    .join('\n');
  const confidentiality = form.confidentiality
    ? `\n<tr class="stage" data-stage="confidentiality"><th>${e(form.confidentiality)}</th><td class="opinion"></td><td></td><td></td><td class="sign"></td></tr>`
    : '';
  const problems = form.recordProblems
    ? `<section class="problems" role="alert"><h2>${e(form.recordProblems.title)}</h2><p>${e(form.recordProblems.note)}</p><ul>${form.recordProblems.problems
        .map((p) => `<li>${e(p)}</li>`)
        .join('')}</ul></section>\n`
    : '';
  const openComments =
    form.openComments.length === 0
      ? ''
      : `<section class="invalidated open-comments"><h2>${e(form.openCommentsTitle)}</h2><ul>${form.openComments.map((line) => `<li>${e(line)}</li>`).join('')}</ul></section>\n`;
  const invalidated =
    form.invalidated.length === 0
      ? ''
      : `<section class="invalidated"><h2>${e(form.invalidatedTitle)}</h2><ul>${form.invalidated.map((line) => `<li>${e(line)}</li>`).join('')}</ul></section>\n`;
  const text = form.articleText
    ? `<section class="article-text"><h2>${e(form.articleTextTitle)}</h2>\n${form.articleText.map((p) => `<p>${e(p)}</p>`).join('\n')}\n</section>\n`
    : '';
  const page = translate(locale, 'signoff.page', { page: '" counter(page) "', pages: '" counter(pages) "' });
  return `<!DOCTYPE html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<title>${e(`${form.heading} — ${sheet.title}`)}</title>
<style>
@page { size: A4; margin: 18mm 16mm 20mm; @bottom-center { content: "${page}"; font-size: 9pt; } }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", SimSun, "Noto Sans CJK SC", "Microsoft YaHei", serif; color: #000; max-width: 178mm; margin: 2em auto; font-size: 11pt; }
@media print { body { margin: 0 auto; } }
.office { text-align: center; font-size: 15pt; margin: 0; }
h1 { text-align: center; font-size: 20pt; letter-spacing: 0.2em; margin: 0.2em 0 0.8em; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
table + table { border-top: none; }
th, td { border: 1px solid #000; padding: 0.35em 0.5em; text-align: left; vertical-align: middle; overflow-wrap: anywhere; }
th { font-weight: normal; text-align: center; }
thead th { font-weight: bold; }
tr.stage td, tr.stage th { height: 3.6em; }
.note { font-size: 8.5pt; color: #333; }
td.who { text-align: center; }
tr, .verify { break-inside: avoid; }
.verdict { font-weight: bold; margin: 0.8em 0 0.4em; }
.problems { border: 2px solid #000; padding: 0.4em 0.8em; margin: 0 0 0.8em; }
.problems h2 { font-size: 18pt; margin: 0; letter-spacing: 0.3em; }
.invalidated h2, .article-text h2 { font-size: 12pt; }
.invalidated { font-size: 9pt; }
.verify { display: flex; gap: 1em; align-items: center; margin-top: 0.6em; font-size: 9.5pt; }
.verify svg.qr { width: 28mm; height: 28mm; flex: none; }
.code { font-family: monospace; font-size: 7.5pt; overflow-wrap: anywhere; }
.article-text { break-before: auto; margin-top: 1.5em; }
.article-text p { text-indent: 2em; line-height: 1.8; margin: 0.3em 0; }
</style>
</head>
<body>
${form.officeName ? `<p class="office">${e(form.officeName)}</p>\n` : ''}<h1>${e(form.heading)}</h1>
${problems}<table class="fields">
<colgroup><col style="width:5.5em"><col><col style="width:5.5em"><col></colgroup>
${header}
</table>
<table class="stages">
<colgroup><col style="width:5.5em"><col><col style="width:7.5em"><col style="width:10.5em"><col style="width:7em"></colgroup>
<thead><tr><th>${e(form.columns.stage)}</th><th>${e(form.columns.opinion)}</th><th>${e(form.columns.reviewer)}</th><th>${e(form.columns.time)}</th><th>${e(form.columns.handSign)}</th></tr></thead>
<tbody>
${rows}${confidentiality}
</tbody>
</table>
<p class="verdict">${e(form.verdict)}</p>
${openComments}${invalidated}<div class="verify">
${qr ? `${qrSvg(qr, form.verifyCode)}\n` : ''}<div>
<div>${e(form.shortHashLabel)}：<strong class="short-hash">${e(form.shortHash)}</strong></div>
<div>${e(form.verifyHint)}</div>
<div>${e(form.verifyCodeLabel)}：<span class="code">${e(form.verifyCode)}</span></div>
<div>${e(form.printedAt)}</div>
</div>
</div>
${text}</body>
</html>
`;
}
