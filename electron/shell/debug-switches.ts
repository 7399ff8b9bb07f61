/*
 * Command-line switches that would open the running app to another program:
 * Chromium's remote debugging (a DevTools endpoint that can drive the window,
 * whose page holds an unlocked signing session) and Node's inspector. The
 * `enableNodeCliInspectArguments` fuse already makes a packaged build ignore
 * Node's; Chromium's are refused here. Pure, so it is unit-tested on Node.
 */

const FORBIDDEN = ['remote-debugging-port', 'remote-debugging-pipe', 'remote-debugging-address', 'inspect', 'inspect-brk', 'inspect-port'];

/** The forbidden switches `argv` carries (`--name`, `--name=value`, any case), in order. */
export function debugSwitchesIn(argv: readonly string[]): string[] {
  const found: string[] = [];
  for (const arg of argv) {
    if (arg === '--') break;
    const match = /^--?([a-z-]+)(?:=.*)?$/i.exec(arg);
    const name = match?.[1]?.toLowerCase();
    if (name && FORBIDDEN.includes(name) && !found.includes(name)) found.push(name);
  }
  return found;
}

/** The switches a packaged build strips from Chromium's command line, whatever argv said. */
export const CHROMIUM_DEBUG_SWITCHES: readonly string[] = FORBIDDEN.filter((name) => name.startsWith('remote-debugging'));
