/**
 * The value of `--name VALUE` or `--name=VALUE` in a command line, or
 * undefined. Electron's argv also carries Chromium switches and, when packaged,
 * no script path, so position-based parsing would be fragile.
 */
export function readSwitch(argv: readonly string[], name: string): string | undefined {
  const flag = `--${name}`;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === flag) {
      const value = argv[index + 1];
      return value !== undefined && !value.startsWith('--') ? value : undefined;
    }
    if (arg?.startsWith(`${flag}=`)) return arg.slice(flag.length + 1) || undefined;
  }
  return undefined;
}
