import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

/*
 * The main window's size and position between launches. Pure logic plus file
 * I/O; the BrowserWindow wiring lives in window.ts.
 */

/** A rectangle in screen coordinates (Electron's Rectangle). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is stored in userData/window-state.json. */
export interface WindowState {
  /** Absent: let the OS centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 860 } as const;
export const MIN_WINDOW_SIZE = { width: 900, height: 600 } as const;
/** How much of the title bar must lie on a display for the saved position to be used. */
const MIN_VISIBLE = { width: 120, height: 40 } as const;

const StoredStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean().default(false),
});

function intersection(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

/**
 * Whether enough of the window's title bar is on one of the displays' work
 * areas that the user can grab it (a monitor unplugged since last time fails).
 */
export function isGrabbable(bounds: Rect, workAreas: readonly Rect[]): boolean {
  const titleBar: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, 40) };
  return workAreas.some((area) => {
    const overlap = intersection(titleBar, area);
    return (
      overlap.width >= Math.min(MIN_VISIBLE.width, bounds.width) &&
      overlap.height >= Math.min(MIN_VISIBLE.height, titleBar.height)
    );
  });
}

/**
 * The state to open the window with, from whatever was on disk (anything
 * malformed gives the defaults). The size is clamped to the largest display so
 * the window never opens bigger than the screen; the position is dropped when
 * the window would not be reachable.
 */
export function restoreWindowState(stored: unknown, workAreas: readonly Rect[]): WindowState {
  const largest = workAreas.reduce<Rect | null>(
    (best, area) => (best === null || area.width * area.height > best.width * best.height ? area : best),
    null,
  );
  const maxWidth = largest?.width ?? Number.POSITIVE_INFINITY;
  const maxHeight = largest?.height ?? Number.POSITIVE_INFINITY;
  const fitToScreen = (width: number, height: number) => ({
    width: Math.max(Math.min(width, maxWidth), Math.min(MIN_WINDOW_SIZE.width, maxWidth)),
    height: Math.max(Math.min(height, maxHeight), Math.min(MIN_WINDOW_SIZE.height, maxHeight)),
  });

  const parsed = StoredStateSchema.safeParse(stored);
  if (!parsed.success) return { ...fitToScreen(DEFAULT_WINDOW_SIZE.width, DEFAULT_WINDOW_SIZE.height), maximized: false };

  const size = fitToScreen(parsed.data.width, parsed.data.height);
  const { x, y, maximized } = parsed.data;
  if (x === undefined || y === undefined || !isGrabbable({ x, y, ...size }, workAreas)) {
    return { ...size, maximized };
  }
  return { x, y, ...size, maximized };
}

/** Reads the stored state; a missing or damaged file is simply "nothing stored". */
export async function loadWindowState(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/** Writes the state atomically (temp file + rename), so a crash never leaves half a file. */
export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  await rename(temp, file);
}
