import { BrowserWindow, dialog, screen } from 'electron';
import {
  loadWindowState,
  MIN_WINDOW_SIZE,
  restoreWindowState,
  saveWindowState,
  type WindowState,
} from './window-state';

/** The main window plus a way to wait for its last state write. */
export interface MainWindow {
  window: BrowserWindow;
  /** Resolves once the latest size/position is on disk. */
  flushState(): Promise<void>;
}

const SAVE_DELAY_MS = 500;

/**
 * Creates the hardened main window where the user left it (when that place is
 * still on a screen), hidden until its first paint, and keeps its bounds in
 * `stateFile`.
 */
export async function createMainWindow(options: {
  preload: string;
  stateFile: string;
  title: string;
  /** Texts of the question asked when the page has unsaved edits and the window is closing. */
  unsavedPrompt: { title: string; message: string; stay: string; leave: string };
  log: (message: string) => void;
}): Promise<MainWindow> {
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const state = restoreWindowState(await loadWindowState(options.stateFile), workAreas);

  const window = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : { center: true }),
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: options.title,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      preload: options.preload,
    },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  let pending: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let last: WindowState | null = null;

  const capture = (): WindowState | null => {
    if (window.isDestroyed() || window.isMinimized() || window.isFullScreen()) return last;
    // Normal bounds, so un-maximising after a restart returns to the user's own size.
    const bounds = window.getNormalBounds();
    return { ...bounds, maximized: window.isMaximized() };
  };
  const write = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const next = capture();
    if (!next) return;
    last = next;
    pending = pending
      .then(() => saveWindowState(options.stateFile, next))
      .catch((error: unknown) => options.log(`[window] could not save its state: ${String(error)}`));
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(write, SAVE_DELAY_MS);
  };
  window.on('resize', schedule);
  window.on('move', schedule);
  window.on('maximize', schedule);
  window.on('unmaximize', schedule);
  window.on('close', write);

  // The page cancels unloading (a `beforeunload` handler) while an autosave is
  // still on its way; the writer decides, instead of Electron silently
  // refusing to close or the edit being lost.
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'warning',
      buttons: [options.unsavedPrompt.stay, options.unsavedPrompt.leave],
      defaultId: 0,
      cancelId: 0,
      title: options.unsavedPrompt.title,
      message: options.unsavedPrompt.message,
    });
    if (choice === 1) event.preventDefault();
  });

  return {
    window,
    flushState: () => {
      if (timer) write();
      return pending;
    },
  };
}
