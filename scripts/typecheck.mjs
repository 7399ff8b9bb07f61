// `npm run typecheck`: every TypeScript program, two at a time (one per core).
// Each layer is its own program with only the types its code may use: shared/
// has neither DOM nor Node, renderer/ has no Node, node/ and electron/ no DOM.
import { spawn } from 'node:child_process';

const PROGRAMS = [
  'tsconfig.shared.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
  'tsconfig.tools.json',
  'tests/unit/shared/tsconfig.json',
  'tests/unit/node/tsconfig.json',
  'tests/unit/electron/tsconfig.json',
  'tests/unit/renderer/tsconfig.json',
  'tests/integration/tsconfig.json',
];

const tsc = process.platform === 'win32' ? 'npx.cmd' : 'npx';
function check(project) {
  return new Promise((resolve) => {
    const child = spawn(tsc, ['tsc', '-p', project, '--noEmit', '--pretty', 'false'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ project, code, output }));
  });
}

const queue = [...PROGRAMS];
const failures = [];
async function worker() {
  for (let project = queue.shift(); project; project = queue.shift()) {
    const result = await check(project);
    console.log(`${result.code === 0 ? 'ok  ' : 'FAIL'} ${project}`);
    if (result.code !== 0) failures.push(result);
  }
}
await Promise.all([worker(), worker()]);
for (const failure of failures) process.stdout.write(`\n--- ${failure.project}\n${failure.output}`);
process.exit(failures.length ? 1 : 0);
