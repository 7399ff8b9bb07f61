import type { Settings } from '../../../shared/domain/settings';
import { notifyError, pushToast } from './notifications';
import { saveSettings, translateNow } from './settings';

/**
 * Saves a change to the office's settings (column tree, source units) and
 * says so; a refusal is shown and the previous settings stay. Resolves with
 * whether the change stuck, so a form knows whether to close.
 */
export async function saveOfficeSettings(next: Settings): Promise<boolean> {
  try {
    await saveSettings(next);
    pushToast('info', translateNow('settings.saved'));
    return true;
  } catch (error) {
    notifyError(error);
    return false;
  }
}
