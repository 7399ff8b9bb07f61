import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The packaging configuration, read and checked by electron-builder's own
 * loader and schema (packaging itself would download Electron, which this
 * machine cannot): every target the offices need is there, for the
 * architectures their desktops have, and the packaged app is hardened.
 */

const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

type TargetEntry = string | { target: string; arch?: string[] };
interface BuilderConfig {
  appId?: string;
  electronFuses?: Record<string, boolean>;
  win?: { target?: TargetEntry[] };
  mac?: { target?: TargetEntry[] };
  linux?: { target?: TargetEntry[] };
  [key: string]: unknown;
}

const projectDir = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'gazette-builder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function load(configPath: string): Promise<BuilderConfig> {
  const config = await getConfig(projectDir, configPath, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

/** Each target name with the architectures it is built for, as `name/arch`. */
function targets(list: TargetEntry[] | undefined): string[] {
  return (list ?? []).flatMap((entry) => (typeof entry === 'string' ? [`${entry}/x64`] : (entry.arch ?? ['x64']).map((arch) => `${entry.target}/${arch}`))).sort();
}

describe('packaging configuration (build/electron-builder.yml)', () => {
  it('is accepted by electron-builder, with a target for every system the offices run', async () => {
    const config = await load('build/electron-builder.yml');
    expect(config.appId).toBe('cn.gov.gazette.workstation');
    expect(targets(config.win?.target)).toEqual(['nsis/x64']);
    expect(targets(config.mac?.target)).toEqual(['dmg/arm64', 'dmg/x64']);
    // 统信UOS and 银河麒麟 on Kunpeng/Phytium (arm64) as well as on x86.
    expect(targets(config.linux?.target)).toEqual(['AppImage/arm64', 'AppImage/x64', 'deb/arm64', 'deb/x64']);
  });

  it('hardens the packaged app: no Node mode, no inspector, no file:// privileges, asar checked', async () => {
    const config = await load('build/electron-builder.yml');
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('refuses a configuration electron-builder would not build (the check is not a formality)', async () => {
    const broken = join(scratch, 'broken.yml');
    writeFileSync(broken, 'appId: cn.gov.gazette.workstation\nlinux:\n  target: [deb]\n  notAnOption: true\n');
    await expect(load(broken)).rejects.toThrow();
  });
});
