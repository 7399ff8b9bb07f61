import { z } from 'zod';
import type { WorkspaceProblem } from '../../domain/article';
import { type Settings, SettingsSchema } from '../../domain/settings';
import { channel } from './channel';

/** The open workspace: its settings, its problem log, where it is. */
export const workspaceChannels = {
  /** The workspace settings (language, column tree, source units). Anyone, signed in or not: the sign-in screen needs the language. */
  'settings:get': channel<Settings>('anyone')(z.object({})),
  /** Replaces the workspace settings. Admins only. Returns them as saved. */
  'settings:save': channel<Settings>({ admin: 'session.action.saveSettings' })(SettingsSchema),
  /** The problem log: files the workspace found damaged or could not read. Any signed-in person. */
  'workspace:problems': channel<WorkspaceProblem[]>('signedIn')(z.object({})),
  /** The workspace folder and the transport this call came through. Anyone, signed in or not. */
  'workspace:info': channel<{ path: string; transport: 'ipc' | 'http' }>('anyone')(z.object({})),
} as const;
