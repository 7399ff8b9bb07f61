import { type AppLocation, isAppUrl } from '../shell/policy';

/** What main-transport.ts learns about an IPC caller, reduced to plain data. */
export interface SenderInfo {
  /** The sending WebContents' id. */
  webContentsId: number;
  /** `event.senderFrame?.url`; null once the frame navigated away or was destroyed. */
  frameUrl: string | null;
  /** Whether the sending frame is its window's top frame (no iframes). */
  isMainFrame: boolean;
}

export type SenderVerdict = { trusted: true } | { trusted: false; reason: string };

/**
 * Decides whether an IPC call may reach the API: it must come from the main
 * frame of a window this process created, showing the app's own page.
 */
export function checkSender(sender: SenderInfo, trustedIds: ReadonlySet<number>, app: AppLocation): SenderVerdict {
  if (!trustedIds.has(sender.webContentsId)) {
    return { trusted: false, reason: `webContents ${sender.webContentsId} is not a Gazette window` };
  }
  if (sender.frameUrl === null) return { trusted: false, reason: 'the sending frame is gone' };
  if (!sender.isMainFrame) return { trusted: false, reason: `sub-frame ${sender.frameUrl}` };
  if (!isAppUrl(sender.frameUrl, app)) return { trusted: false, reason: `foreign page ${sender.frameUrl}` };
  return { trusted: true };
}
