import { readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { CallContext, Channel, ImportOutcome, ResponseOf } from '../../shared/api/contract';
import { openWorkspace, type Workspace } from '../services';

/** Where the CLI writes; injectable so tests can capture output. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const USAGE = `gazette — Gazette workspace tool (plain Node, no window)

Usage:
  gazette import <file|folder>... --workspace DIR [--json]
      Import portal pages (.txt .htm .html) and Word files (.docx); folders are searched recursively.
  gazette list --workspace DIR [--json]
      List the articles in the workspace.
  gazette export <id> --format json|html --workspace DIR [-o FILE]
      Export one article to stdout or to FILE.

Options:
  -w, --workspace DIR   the workspace folder (created if missing)
      --json            machine-readable output
  -f, --format FORMAT   export format: json or html
  -o, --output FILE     write the export to FILE instead of stdout
  -h, --help            show this help
`;

const IMPORTABLE = new Set(['.txt', '.htm', '.html', '.docx']);
const CONTEXT: CallContext = { transport: 'cli' };

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

async function runImport(workspace: Workspace, paths: string[], json: boolean, io: CliIo): Promise<number> {
  if (paths.length === 0) throw new UsageError('import needs at least one file or folder');
  const files = await collectFiles(paths);
  const created: Record<string, unknown>[] = [];
  const failed: Extract<ImportOutcome, { ok: false }>[] = [];
  for (const file of files) {
    let outcome: ImportOutcome;
    try {
      const data = await readFile(file);
      outcome = await call(workspace, 'import:file', { name: basename(file), dataBase64: data.toString('base64') });
    } catch (error) {
      outcome = { ok: false, file, reason: error instanceof Error ? error.message : String(error) };
    }
    if (!outcome.ok) {
      failed.push({ ...outcome, file });
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
  if (!json) io.stdout.write(`${created.length} imported, ${failed.length} failed\n`);
  return failed.length > 0 ? 1 : 0;
}

async function runList(workspace: Workspace, json: boolean, io: CliIo): Promise<number> {
  const list = await call(workspace, 'articles:list', {});
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
): Promise<number> {
  const [id, ...rest] = args;
  if (!id || rest.length > 0) throw new UsageError('export needs exactly one article id');
  if (format !== 'json' && format !== 'html') throw new UsageError('export needs --format json or --format html');
  const exported = await call(workspace, 'articles:export', { id, format });
  if (output) {
    await writeFile(output, exported.content, 'utf8');
    io.stderr.write(`wrote ${output}\n`);
  } else {
    io.stdout.write(exported.content);
  }
  return 0;
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
    io.stderr.write('gazette: missing command (import, list or export; see gazette --help)\n');
    return 2;
  }
  if (!['import', 'list', 'export'].includes(command)) {
    io.stderr.write(`gazette: unknown command "${command}" (see gazette --help)\n`);
    return 2;
  }
  if (!values.workspace) {
    io.stderr.write(`gazette: ${command} needs --workspace DIR\n`);
    return 2;
  }
  let workspace: Workspace | null = null;
  try {
    workspace = await openWorkspace(values.workspace);
    if (command === 'import') return await runImport(workspace, args, values.json ?? false, io);
    if (command === 'list') return await runList(workspace, values.json ?? false, io);
    return await runExport(workspace, args, values.format, values.output, io);
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
