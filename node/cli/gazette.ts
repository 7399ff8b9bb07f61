import { readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { verifyTargetOf } from '../services/record/workspace-verifier';
import type { CallContext, Channel, ImportDuplicate, ImportOutcome, ProofreadResult, PublishJobView, ResponseOf } from '../../shared/api/contract';
import { LIST_LIMIT_MAX } from '../../shared/api/contract/articles';
import { docToPlainText } from '../../shared/domain/doc';
import { LOCALES, type Locale } from '../../shared/domain/settings';
import { DEFAULT_PACKS } from '../../shared/proofread/default-packs';
import { articleCounts } from '../../shared/proofread/engine';
import { CheckThread } from '../services/proofread/check-thread';
import { findingMessage } from '../../shared/proofread/messages';
import type { RulePackProblem } from '../../shared/proofread/packs';
import type { CheckInput, Finding } from '../../shared/proofread/types';
import { openWorkspace, type Workspace } from '../services';
import { importFileBuffer } from '../services/import';
import { acquireWorkspaceLock, type WorkspaceLock } from '../services/store/workspace-lock';
import { loadRulePackDir } from '../services/proofread/rule-files';
import { runOfficeJoin, runOfficeStatus, runSync, SyncUsageError } from './office-sync';

/** Where the CLI writes; injectable so tests can capture output. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const USAGE = `gazette — Gazette workspace tool (plain Node, no window)

Usage:
  gazette import <file|folder>... --workspace DIR [--json] [--allow-duplicates]
      Import portal pages (.txt .htm .html) and Word files (.docx); folders are searched recursively.
      A file already in the workspace (the same file, or the same title, date and
      text, trash included) is listed as a duplicate and not imported again; it
      does not count as a failure (exit 0). --json prints one row per imported file
      and one per duplicate ({file, duplicate: true, reason, existing}).
  gazette list --workspace DIR [--json]
      List the articles in the workspace.
  gazette export <id> --format docx|pdf|json|html [--redhead] --workspace DIR [-o FILE]
      Export one article to stdout or to FILE; docx and pdf are the 公文 layout
      (GB/T 9704-2012), --redhead adds the 红头. Fonts substituted here are listed on stderr.
  gazette package export <id>... -o FILE --workspace DIR --as PERSON
      Write a signed transfer package (signed with PERSON's key; password from
      GAZETTE_PASSWORD or --password-file).
  gazette package verify FILE --workspace DIR [--json]
      Check a package against the workspace's trusted keys; exit 0 only if valid.
  gazette package import FILE --workspace DIR [--json]
      Verify and import a package; nothing is changed if any check fails.
  gazette review status <id> --workspace DIR [--json]
      Show where an article stands in review, as its verified signed record says:
      stage, approvals, content hash, and 记录异常 with the reasons if it does not verify.
  gazette verify <id|sheet-code>... | --all --workspace DIR [--json]
      Check the office policy chain, every signed review entry, key and approval,
      the content hash over text and assets, and the assets themselves. Accepts
      the text of a 审核表 QR code (gazette:verify:<id>:<hash>). Prints each
      check; exit 0 only if every check holds.
  gazette office setup --name NAME [--unit UNIT] --workspace DIR
      Create the office with its first administrator (password from GAZETTE_PASSWORD
      or --password-file); that administrator's key becomes the office's root key.
  gazette office join <url> --as PERSON --workspace DIR [--json]
      Join this workspace to an office server (url: the server's base, e.g.
      http://host:8418/git/) as PERSON (password from GAZETTE_PASSWORD or
      --password-file): fetches the repositories PERSON may read, checks them,
      brings PERSON's sealed signing key, then runs one sync round.
  gazette sync --workspace DIR [--json] [--attempts N]
      One sync round with the office server: commit what changed, fetch, merge,
      push. Prints what was sent, received, merged, in conflict, refused and
      invalidated (--json: the round's report). Exit 1 on a refusal or conflict.
  gazette office status --workspace DIR [--json]
      The office server, the repositories, what waits to be sent, the last sync.
  gazette people add --name NAME --roles writer,reviewer[,publisher,admin] [--unit UNIT] --as ADMIN --password-file F --workspace DIR
      Create a person (their password from GAZETTE_PASSWORD; the administrator's from
      --password-file). The administrator signs the office policy that names them;
      without --as the person is saved but cannot act until an administrator signs in.
  gazette render <id> [--site S] [-o FILE.html] --workspace DIR
      Render the article's portal page exactly as static publishing writes it.
  gazette site build [--site S] -o DIR --workspace DIR
      Build the site's published articles as a static site into DIR.
  gazette publish <id> --target T[,T2] --as PERSON [--action publish|update|withdraw --reason TEXT] --workspace DIR [--json]
      Queue the approved article for the targets (PERSON must be a publisher) and send it now.
  gazette outbox run --workspace DIR [--json]
      Send every due publishing job once and print what happened.
  gazette check <file|id> [--workspace DIR] [--rules DIR] [--json] [--lang zh-CN|en]
      Proofread a .txt/.htm/.html/.docx file (imported in memory, nothing is
      saved) or an article of the workspace, with the default rule packs plus
      the office's (--rules DIR, else <workspace>/rules). Exit 1 when errors remain.
      Finding messages are in Chinese unless --lang en.

Options:
  -w, --workspace DIR   the workspace folder (created if missing)
      --json            machine-readable output
  -f, --format FORMAT   export format: docx, pdf, json or html
      --redhead         the 红头 version of a docx/pdf export
  -o, --output FILE     write the export to FILE instead of stdout
      --as PERSON       act as this person (name or id), e.g. to sign a package
      --password-file F read the password from F instead of GAZETTE_PASSWORD
      --name, --unit, --roles   the new person's profile (people add)
      --site S          the site profile (default: the workspace's main site)
      --target T        publishing target id(s), comma-separated
      --action A        publish (default), update or withdraw
      --reason TEXT     why the article is withdrawn (required with --action withdraw)
      --all             every article (verify)
      --attempts N      tries before a sync round reports the server offline (sync, office join)
      --rules DIR       the office's rule packs (check)
      --lang L          language of the finding messages (check): zh-CN (default) or en
      --allow-duplicates  import files even when the workspace already has them (import)
  -h, --help            show this help

One program works on a workspace at a time: a command that opens it (all but
\`check FILE\` and \`office status\`, reading ones too) refuses while the desktop
app, the web host or another command holds it, naming which (exit 1).

Exit codes: 0 success, 1 failure (a file that could not be imported, package
not valid, publishing refused or not completed, proofreading errors), 2 usage
error. Duplicates skipped by import are not failures.
`;

const IMPORTABLE = new Set(['.txt', '.htm', '.html', '.docx', '.doc', '.wps']);
// The CLI's one session: without --as it acts as the local operator ("cli" in audit entries).
const CONTEXT: CallContext = { transport: 'cli', sessionId: 'cli' };

class UsageError extends Error {}

async function call<C extends Channel>(workspace: Workspace, channel: C, request: unknown): Promise<ResponseOf<C>> {
  const envelope = await workspace.dispatch(channel, request, CONTEXT);
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.detail}`);
  return envelope.value as ResponseOf<C>;
}

/** Files to import: explicit files as given, folders searched recursively for importable types. */
async function collectFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && IMPORTABLE.has(extname(entry.name).toLowerCase()) && !entry.name.startsWith('~$')) {
        out.push(path);
      }
    }
  };
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) throw new UsageError(`no such file or folder: ${path}`);
    if (info.isDirectory()) await walk(resolve(path));
    else out.push(resolve(path));
  }
  return out;
}

const DUPLICATE_REASONS: Record<ImportDuplicate['reason'], string> = {
  'same-file': 'the same file',
  'same-article': 'the same article',
};

async function runImport(
  workspace: Workspace,
  paths: string[],
  options: { json: boolean; allowDuplicates: boolean },
  io: CliIo,
): Promise<number> {
  const { json, allowDuplicates } = options;
  if (paths.length === 0) throw new UsageError('import needs at least one file or folder');
  const files = await collectFiles(paths);
  const created: Record<string, unknown>[] = [];
  let duplicates = 0;
  const failed: { file: string; reason: string }[] = [];
  for (const file of files) {
    let outcome: ImportOutcome;
    try {
      const data = await readFile(file);
      outcome = await call(workspace, 'import:file', {
        name: basename(file),
        dataBase64: data.toString('base64'),
        allowDuplicate: allowDuplicates,
      });
    } catch (error) {
      outcome = { ok: false, file, reason: error instanceof Error ? error.message : String(error) };
    }
    if (!outcome.ok && outcome.duplicate) {
      duplicates++;
      const { existing, reason } = outcome;
      created.push({ file, duplicate: true, reason, existing });
      if (!json) {
        const where = existing.trashed ? ', in the trash' : '';
        io.stdout.write(
          `duplicate: ${file}: already in the workspace as ${existing.id} 《${existing.title || '(untitled)'}》 (${DUPLICATE_REASONS[reason]}${where}); not imported again\n`,
        );
      }
      continue;
    }
    if (!outcome.ok) {
      failed.push({ file, reason: outcome.reason });
      continue;
    }
    const { fields } = outcome;
    const row = {
      id: outcome.article.id,
      file,
      title: fields.title,
      date: fields.date,
      source: fields.source,
      column: fields.column,
      author: fields.author,
      paragraphs: fields.paragraphs,
      unrecognised: outcome.unrecognised,
      warnings: outcome.warnings,
    };
    created.push(row);
    if (!json) {
      const column = fields.column.length ? fields.column.join(' / ') : '—';
      io.stdout.write(
        `${row.id}  ${fields.date ?? '—'}  ${fields.source ?? '—'}  [${column}]  ${fields.title ?? '(untitled)'}  (${file}; ${fields.paragraphs.length} paragraphs, ${outcome.warnings.length} warnings)\n`,
      );
    }
  }
  if (json) io.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
  for (const failure of failed) io.stderr.write(`failed: ${failure.file}: ${failure.reason}\n`);
  if (!json) {
    const skipped = duplicates > 0 ? `, ${duplicates} already in the workspace (use --allow-duplicates to import them anyway)` : '';
    io.stdout.write(`${created.length - duplicates} imported${skipped}, ${failed.length} failed\n`);
  }
  return failed.length > 0 ? 1 : 0;
}

async function runList(workspace: Workspace, json: boolean, io: CliIo): Promise<number> {
  // The API answers a page at a time; the command lists every article, so it asks until it has them all.
  const first = await call(workspace, 'articles:list', { limit: LIST_LIMIT_MAX });
  const items = [...first.items];
  while (items.length < first.total) {
    const page = await call(workspace, 'articles:list', { offset: items.length, limit: LIST_LIMIT_MAX });
    if (page.items.length === 0) break;
    items.push(...page.items);
  }
  const list = { items, problems: first.problems };
  if (json) {
    io.stdout.write(`${JSON.stringify(list.items, null, 2)}\n`);
  } else {
    for (const item of list.items) {
      io.stdout.write(`${item.id}  ${item.status}  ${item.publishAt ?? '—'}  ${item.column.join(' / ') || '—'}  ${item.title || '(untitled)'}\n`);
    }
  }
  for (const problem of list.problems) io.stderr.write(`problem: ${problem.kind}: ${problem.file}: ${problem.detail}\n`);
  return 0;
}

async function runExport(
  workspace: Workspace,
  args: string[],
  format: string | undefined,
  output: string | undefined,
  io: CliIo,
  redhead = false,
): Promise<number> {
  const [id, ...rest] = args;
  if (!id || rest.length > 0) throw new UsageError('export needs exactly one article id');
  if (format !== 'json' && format !== 'html' && format !== 'docx' && format !== 'pdf') {
    throw new UsageError('export needs --format docx, pdf, json or html');
  }
  if (redhead && format !== 'docx' && format !== 'pdf') throw new UsageError('--redhead needs --format docx or pdf');
  const binary = format === 'docx' || format === 'pdf';
  // A Word file or PDF written to a terminal is noise: ask for a file instead.
  if (binary && !output) throw new UsageError(`export --format ${format} needs -o FILE`);
  const exported = await call(workspace, 'articles:export', { id, format, redhead });
  for (const note of exported.notes ?? []) io.stderr.write(`note: ${note}\n`);
  if (output) {
    await writeFile(output, exported.encoding === 'base64' ? Buffer.from(exported.content, 'base64') : exported.content);
    io.stderr.write(`wrote ${output}\n`);
  } else {
    io.stdout.write(exported.content);
  }
  return 0;
}

type Values = ReturnType<typeof parseCliArgs>['values'];

async function readPassword(values: Values): Promise<string> {
  if (values['password-file']) {
    const text = await readFile(values['password-file'], 'utf8');
    return text.replace(/\r?\n$/, '');
  }
  const fromEnv = process.env.GAZETTE_PASSWORD;
  if (fromEnv === undefined || fromEnv === '') throw new UsageError('set GAZETTE_PASSWORD or pass --password-file FILE');
  return fromEnv;
}

async function signInIfAsked(workspace: Workspace, values: Values): Promise<void> {
  if (!values.as) return;
  await workspace.identity.signInAs(values.as, await readPassword(values), CONTEXT);
}

async function runPackage(workspace: Workspace, args: string[], values: Values, io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const json = values.json ?? false;
  if (action === 'export') {
    if (rest.length === 0) throw new UsageError('package export needs at least one article id');
    if (!values.output) throw new UsageError('package export needs -o FILE');
    if (!values.as) throw new UsageError('package export needs --as PERSON (the package is signed with their key)');
    await signInIfAsked(workspace, values);
    const { bytes } = await workspace.transfer.exportPackage(rest, CONTEXT);
    await writeFile(values.output, bytes);
    io.stderr.write(`wrote ${values.output} (${rest.length} article${rest.length === 1 ? '' : 's'}, ${bytes.length} bytes)\n`);
    return 0;
  }
  if (action === 'verify' || action === 'import') {
    const [file, ...extra] = rest;
    if (!file || extra.length > 0) throw new UsageError(`package ${action} needs exactly one FILE`);
    const bytes = new Uint8Array(await readFile(file));
    await signInIfAsked(workspace, values);
    const result =
      action === 'verify' ? await workspace.transfer.verifyPackageBytes(bytes) : await workspace.transfer.importPackageBytes(bytes, CONTEXT);
    if (json) {
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      for (const check of result.checks) io.stdout.write(`✓ ${check}\n`);
      if (!result.ok) io.stdout.write(`✗ ${result.error ?? ''}\n`);
      if ('items' in result) {
        for (const item of result.items) {
          io.stdout.write(`${item.outcome}  ${item.articleId}  ${item.title}${item.conflictOf ? `  (conflicts with ${item.conflictOf})` : ''}\n`);
        }
      }
    }
    if (!result.ok) io.stderr.write(`gazette: package refused: ${result.error ?? ''}\n`);
    return result.ok ? 0 : 1;
  }
  throw new UsageError('package needs export, verify or import');
}

async function runReview(workspace: Workspace, args: string[], values: Values, io: CliIo): Promise<number> {
  const [action, id, ...rest] = args;
  if (action !== 'status' || !id || rest.length > 0) throw new UsageError('usage: review status <id>');
  await signInIfAsked(workspace, values);
  const view = await call(workspace, 'review:get', { id });
  const { state, record } = view;
  const approved = state.approvals.map((a) => ({
    stage: state.chain?.stages.find((s) => s.id === a.stageId)?.name ?? a.stageId,
    stageId: a.stageId,
    by: view.names[a.personId] ?? a.personId,
    personId: a.personId,
    at: a.at,
    opinion: a.opinion,
    contentHash: a.contentHash,
    current: a.contentHash === view.currentHash,
  }));
  const status = {
    id,
    title: view.title,
    status: view.articleStatus,
    stage: view.stageName,
    currentHash: view.currentHash,
    // From the verified record only: a review.json or a status written by hand changes nothing here.
    recordIntact: record.intact,
    recordProblems: record.problems.map((p) => p.message),
    fullyApproved: record.publishable,
    approvals: approved,
    notice: state.notice,
    comments: view.comments.length,
    events: view.events.length,
  };
  if (values.json) {
    io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
  } else {
    io.stdout.write(`${status.title || id}\n  status: ${status.status}${status.stage ? ` (${status.stage})` : ''}\n  hash:   ${status.currentHash}\n`);
    for (const a of approved) {
      io.stdout.write(`  ${a.current ? '✓' : '✗'} ${a.stage}  ${a.by}  ${a.at}  ${a.contentHash.slice(0, 12)}  ${a.opinion}\n`);
    }
    if (status.notice) io.stdout.write(`  notice: ${status.notice}\n`);
    for (const problem of status.recordProblems) io.stdout.write(`  记录异常: ${problem}\n`);
  }
  return 0;
}

async function runVerify(workspace: Workspace, args: string[], values: Values, io: CliIo): Promise<number> {
  if (values.all ? args.length > 0 : args.length === 0) throw new UsageError('usage: verify <id|sheet-code>... | --all');
  const report = await workspace.verifier.verify(values.all ? 'all' : args.map(verifyTargetOf));
  if (values.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  }
  const line = (ok: boolean, text: string) => io.stdout.write(`  ${ok ? '✓' : '✗'} ${text}\n`);
  io.stdout.write('office policy\n');
  for (const check of report.policy.checks) line(true, check);
  for (const problem of report.policy.problems) line(false, problem);
  for (const article of report.articles) {
    io.stdout.write(`${article.id}  ${article.title}\n`);
    for (const check of article.checks) line(true, check);
    for (const problem of article.problems) line(false, problem);
  }
  const failed = report.articles.filter((a) => !a.ok).length;
  io.stdout.write(
    report.ok
      ? `verified: ${report.articles.length} article(s), every check holds\n`
      : `NOT verified: ${failed} of ${report.articles.length} article(s) failed${report.policy.ok ? '' : ', and the office policy does not verify'}\n`,
  );
  return report.ok ? 0 : 1;
}

async function runPeople(workspace: Workspace, args: string[], values: Values, io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'add' || rest.length > 0) throw new UsageError('usage: people add --name NAME --roles ROLES --as ADMIN');
  if (!values.name) throw new UsageError('people add needs --name NAME');
  const roles = (values.roles ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  if (roles.length === 0) throw new UsageError('people add needs --roles, e.g. --roles writer,reviewer');
  if (values.as && !values['password-file']) {
    throw new UsageError("people add --as ADMIN reads the administrator's password from --password-file and the new person's from GAZETTE_PASSWORD");
  }
  // The administrator signs the office policy that makes the new person (and their key) count.
  if (values.as) await workspace.identity.signInAs(values.as, await readPassword(values), CONTEXT);
  const password = values.as ? await readPassword({ ...values, 'password-file': undefined }) : await readPassword(values);
  const person = await call(workspace, 'people:save', { name: values.name, unit: values.unit ?? '', roles, password });
  io.stdout.write(values.json ? `${JSON.stringify(person, null, 2)}\n` : `${person.id}  ${person.name}  ${person.roles.join(',')}\n`);
  if (!values.as) io.stderr.write('gazette: not signed by an administrator (no --as): the person can act once an administrator signs in\n');
  return 0;
}

async function runOffice(workspace: Workspace, args: string[], values: Values, io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'setup' || rest.length > 0) throw new UsageError('usage: office setup --name NAME [--unit UNIT]');
  if (!values.name) throw new UsageError('office setup needs --name NAME (the first administrator)');
  const password = await readPassword(values);
  const result = await call(workspace, 'session:setup', { name: values.name, unit: values.unit ?? '', password });
  const person = result.person;
  io.stdout.write(values.json ? `${JSON.stringify(person, null, 2)}\n` : `${person?.id ?? ''}  ${person?.name ?? ''}  office created; this administrator's key is its root\n`);
  return 0;
}

async function runRender(workspace: Workspace, args: string[], values: Values, io: CliIo): Promise<number> {
  const [id, ...rest] = args;
  if (!id || rest.length > 0) throw new UsageError('render needs exactly one article id');
  await signInIfAsked(workspace, values);
  const result = await call(workspace, 'preview:render', { articleId: id, ...(values.site ? { siteId: values.site } : {}) });
  if ('error' in result) {
    const { file, line, message } = result.error;
    io.stderr.write(`gazette: template error${file ? ` in ${file}${line ? `:${line}` : ''}` : ''}: ${message}\n`);
    return 1;
  }
  if (values.output) {
    await writeFile(values.output, result.html, 'utf8');
    io.stderr.write(`wrote ${values.output} (${result.url})\n`);
  } else {
    io.stdout.write(result.html);
  }
  return 0;
}

async function runSite(workspace: Workspace, args: string[], values: Values, io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'build' || rest.length > 0) throw new UsageError('usage: site build --site S -o DIR');
  if (!values.output) throw new UsageError('site build needs -o DIR');
  const siteId = values.site ?? (await workspace.publish.sites.defaultSiteId());
  const result = await workspace.publish.staticPublisher.buildSite(siteId, resolve(values.output));
  const summary = { site: siteId, written: result.written.length, unchanged: result.unchanged.length, removed: result.removed.length };
  io.stdout.write(
    values.json
      ? `${JSON.stringify({ ...summary, missingAssets: result.missingAssets, warnings: result.warnings }, null, 2)}\n`
      : `${siteId}: ${summary.written} written, ${summary.unchanged} unchanged, ${summary.removed} removed → ${values.output}\n`,
  );
  for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
  for (const missing of result.missingAssets) io.stderr.write(`warning: missing asset ${missing.src} of ${missing.articleId}\n`);
  return 0;
}

function printJobs(jobs: PublishJobView[], io: CliIo): void {
  for (const job of jobs) {
    const where = job.receipt?.url ? `  ${job.receipt.url}${job.receipt.verification === 'flagged' ? ` (not verified: ${job.receipt.verificationDetail})` : ''}` : '';
    io.stdout.write(`${job.state}  ${job.action}  ${job.articleId}  → ${job.targetId}  ${job.title}${where}${job.error && job.state !== 'succeeded' ? `  ${job.error}` : ''}\n`);
  }
}

async function runPublish(workspace: Workspace, args: string[], values: Values, io: CliIo): Promise<number> {
  const [id, ...rest] = args;
  if (!id || rest.length > 0) throw new UsageError('publish needs exactly one article id');
  const targetIds = (values.target ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (targetIds.length === 0) throw new UsageError('publish needs --target T');
  const action = values.action ?? 'publish';
  if (action !== 'publish' && action !== 'update' && action !== 'withdraw') throw new UsageError('--action must be publish, update or withdraw');
  await signInIfAsked(workspace, values);
  if (action === 'withdraw' && !values.reason?.trim()) throw new UsageError('withdraw needs --reason "…" (it is recorded in the audit trail)');
  const queued = await call(workspace, 'publish:enqueue', { articleId: id, targetIds, action, ...(values.reason ? { reason: values.reason } : {}) });
  if (!queued.ok) {
    if (values.json) io.stdout.write(`${JSON.stringify(queued, null, 2)}\n`);
    for (const item of queued.checklist) io.stdout.write(`${item.ok ? '✓' : '✗'} ${item.message}\n`);
    io.stderr.write('gazette: the pre-publish checklist failed; nothing was queued\n');
    return 1;
  }
  const mine = new Set(queued.jobs.map((job) => job.id));
  const ran = (await workspace.publish.outbox.runDue()).filter((job) => mine.has(job.id));
  const jobs = queued.jobs.map((job) => ran.find((r) => r.id === job.id) ?? job);
  if (values.json) io.stdout.write(`${JSON.stringify(jobs, null, 2)}\n`);
  else printJobs(jobs, io);
  return jobs.every((job) => job.state === 'succeeded') ? 0 : 1;
}

async function runOutbox(workspace: Workspace, args: string[], values: Values, io: CliIo): Promise<number> {
  if (args[0] !== 'run' || args.length > 1) throw new UsageError('usage: outbox run');
  const jobs = await workspace.publish.outbox.runDue();
  if (values.json) io.stdout.write(`${JSON.stringify(jobs, null, 2)}\n`);
  else {
    printJobs(jobs, io);
    io.stdout.write(`${jobs.length} job${jobs.length === 1 ? '' : 's'} attempted, ${jobs.filter((j) => j.state === 'succeeded').length} succeeded\n`);
  }
  return jobs.every((job) => job.state === 'succeeded') ? 0 : 1;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

const SEVERITY_LABEL: Record<Finding['severity'], string> = { error: 'ERROR', warning: 'WARN ', hint: 'HINT ' };

async function runCheck(args: string[], values: Values, io: CliIo): Promise<number> {
  const [target, ...rest] = args;
  if (!target || rest.length > 0) throw new UsageError('usage: check <file|id> [--workspace DIR] [--rules DIR] [--json] [--lang zh-CN|en]');
  const lang = values.lang ?? 'zh-CN';
  if (!(LOCALES as readonly string[]).includes(lang)) throw new UsageError(`--lang must be ${LOCALES.join(' or ')}`);
  const locale = lang as Locale;
  const rulesDir = values.rules ? resolve(values.rules) : undefined;
  const info = await stat(target).catch(() => null);
  let result: Omit<ProofreadResult, 'articleId'>;
  let input: CheckInput;
  let problems: RulePackProblem[];
  if (info?.isFile()) {
    if (!IMPORTABLE.has(extname(target).toLowerCase())) throw new UsageError(`check reads .txt, .htm, .html or .docx files: ${target}`);
    // Measured against the import limits before the converter runs (a hostile file ends with a message naming the limit);
    // this one-shot process is the user's own, so it reads in place rather than paying for a second thread.
    const draft = await importFileBuffer(basename(target), await readFile(target));
    input = { meta: draft.meta, doc: draft.doc };
    const office = rulesDir ?? (values.workspace ? join(resolve(values.workspace), 'rules') : null);
    const loaded = office ? await loadRulePackDir(office) : { packs: [], problems: [] };
    problems = loaded.problems;
    // Off the main thread with a time limit, as in the host: a pathological file ends with a message, not a hang.
    const thread = new CheckThread();
    let findings: Finding[];
    try {
      findings = await thread.check(input, [...DEFAULT_PACKS, ...loaded.packs.map((p) => p.pack)], {});
    } finally {
      await thread.close();
    }
    result = { findings, counts: articleCounts(input), blocking: findings.filter((f) => f.severity === 'error').length };
  } else {
    if (!values.workspace) throw new UsageError(`no such file: ${target} (to check an article by id, give --workspace DIR)`);
    const workspace = await openWorkspace(values.workspace, { autoStartOutbox: false, rulesDir, lockAs: 'cli' });
    try {
      const article = await workspace.handlers['articles:get']({ id: target }, CONTEXT);
      input = { meta: article.meta, doc: article.doc };
      result = await workspace.handlers['proofread:check']({ id: target }, CONTEXT);
      problems = (await workspace.proofread.listPacks()).problems;
    } finally {
      await workspace.close();
    }
  }
  for (const problem of problems) io.stderr.write(`gazette: rule pack ${problem.file} ignored: ${problem.message}\n`);
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const findings = result.findings.map((f) => ({ ...f, message: findingMessage(f, locale) }));
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ target, counts: result.counts, errors, blocking: result.blocking, findings }, null, 2)}\n`);
  } else {
    const text = docToPlainText(input.doc);
    const overriddenLabel = locale === 'en' ? 'let through: ' : '放行：';
    for (const f of findings) {
      const where = f.field && f.start === f.end ? `[${f.field}]` : `${lineAndColumn(text, f.start)} (${f.start}-${f.end})`;
      const fix = f.suggestion !== undefined ? ` → “${f.suggestion}”` : '';
      const overridden = f.overridden ? `  [${overriddenLabel}${f.overridden.reason}]` : '';
      io.stdout.write(`${SEVERITY_LABEL[f.severity]} ${where}  ${f.rule}  “${f.text}”${fix}  ${f.message}${overridden}\n`);
    }
    const count = (s: Finding['severity']) => result.findings.filter((f) => f.severity === s).length;
    io.stdout.write(
      `${count('error')} errors (${result.blocking} blocking), ${count('warning')} warnings, ${count('hint')} hints; ${result.counts.characters} characters, ${result.counts.paragraphs} paragraphs, about ${result.counts.readingMinutes} min to read\n`,
    );
  }
  return result.blocking > 0 ? 1 : 0;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(argv);
  } catch (error) {
    io.stderr.write(`gazette: ${error instanceof Error ? error.message : String(error)} (see gazette --help)\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || command === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (!command) {
    io.stderr.write('gazette: missing command (import, list, export, package, review, people, render, site, publish, outbox, office or sync; see gazette --help)\n');
    return 2;
  }
  if (command === 'check') {
    try {
      return await runCheck(args, values, io);
    } catch (error) {
      io.stderr.write(`gazette: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
      return error instanceof UsageError ? 2 : 1;
    }
  }
  if (command === 'sync' || (command === 'office' && (args[0] === 'join' || args[0] === 'status'))) {
    if (!values.workspace) {
      io.stderr.write(`gazette: ${command} needs --workspace DIR\n`);
      return 2;
    }
    // status only reads the sync configuration and log; a round or a join writes articles, so it waits for no one.
    let lock: WorkspaceLock | null = null;
    try {
      const password = () => readPassword(values);
      if (command === 'office' && args[0] === 'status') return await runOfficeStatus(values, io);
      lock = await acquireWorkspaceLock(values.workspace, 'cli');
      if (command === 'sync') return await runSync(values, password, io);
      return await runOfficeJoin(args.slice(1), values, password, io);
    } catch (error) {
      io.stderr.write(`gazette: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
      return error instanceof UsageError || error instanceof SyncUsageError ? 2 : 1;
    } finally {
      await lock?.release();
    }
  }
  if (!['import', 'list', 'export', 'package', 'review', 'verify', 'office', 'people', 'render', 'site', 'publish', 'outbox'].includes(command)) {
    io.stderr.write(`gazette: unknown command "${command}" (see gazette --help)\n`);
    return 2;
  }
  if (!values.workspace) {
    io.stderr.write(`gazette: ${command} needs --workspace DIR\n`);
    return 2;
  }
  let workspace: Workspace | null = null;
  try {
    // No background sending: a CLI command publishes only when it is asked to. Every command here takes the
    // workspace lock, the reading ones too: opening recovers a crashed save, sweeps temp files and rewrites
    // the index cache, which would race the desktop app or web host working on the same folder.
    workspace = await openWorkspace(values.workspace, { autoStartOutbox: false, lockAs: 'cli' });
    if (command === 'import') {
      return await runImport(workspace, args, { json: values.json ?? false, allowDuplicates: values['allow-duplicates'] ?? false }, io);
    }
    if (command === 'list') return await runList(workspace, values.json ?? false, io);
    if (command === 'package') return await runPackage(workspace, args, values, io);
    if (command === 'review') return await runReview(workspace, args, values, io);
    if (command === 'verify') return await runVerify(workspace, args, values, io);
    if (command === 'people') return await runPeople(workspace, args, values, io);
    if (command === 'office') return await runOffice(workspace, args, values, io);
    if (command === 'render') return await runRender(workspace, args, values, io);
    if (command === 'site') return await runSite(workspace, args, values, io);
    if (command === 'publish') return await runPublish(workspace, args, values, io);
    if (command === 'outbox') return await runOutbox(workspace, args, values, io);
    return await runExport(workspace, args, values.format, values.output, io, values.redhead ?? false);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`gazette: ${message.split('\n')[0]}\n`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await workspace?.close();
  }
}

function parseCliArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      workspace: { type: 'string', short: 'w' },
      json: { type: 'boolean' },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      as: { type: 'string' },
      'password-file': { type: 'string' },
      name: { type: 'string' },
      unit: { type: 'string' },
      roles: { type: 'string' },
      site: { type: 'string' },
      target: { type: 'string' },
      action: { type: 'string' },
      reason: { type: 'string' },
      rules: { type: 'string' },
      lang: { type: 'string' },
      'allow-duplicates': { type: 'boolean' },
      redhead: { type: 'boolean' },
      all: { type: 'boolean' },
      attempts: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function isEntryPoint(): Promise<boolean> {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(await realpath(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (await isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2));
}
