import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';

/** The folder name under the OS's application-data directory, shared with the Electron app. */
export const APP_DIR_NAME = 'Gazette';

/**
 * Gazette's user-data directory without Electron, matching what main.ts sets
 * `app.getPath('userData')` to, so `npm run web` and the desktop app share one
 * workspace: %APPDATA%\Gazette, ~/Library/Application Support/Gazette, or
 * $XDG_CONFIG_HOME/Gazette (default ~/.config/Gazette).
 */
export function userDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  const configHome = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return posix.join(configHome, APP_DIR_NAME);
}
