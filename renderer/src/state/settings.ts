import { useCallback } from 'react';
import { api } from '../api/client';
import { defaultSettings, type Locale, LOCALES, type Settings } from '../../../shared/domain/settings';
import { type MessageKey, type MessageParams, translate } from '../../../shared/i18n';
import { createStore, useStore } from './store';

/**
 * The interface language is each user's own choice on this computer (kept in
 * localStorage); the office-wide `settings.locale` is only the default for
 * people who never chose. Settings may be saved by admins only, and a writer
 * must still be able to switch to English.
 */
const LOCALE_CHOICE_KEY = 'gazette.locale';

function storedChoice(): Locale | null {
  try {
    const value = globalThis.localStorage?.getItem(LOCALE_CHOICE_KEY);
    return (LOCALES as readonly string[]).includes(value ?? '') ? (value as Locale) : null;
  } catch {
    return null;
  }
}

export interface SettingsState {
  settings: Settings;
  /** The language the interface is shown in. */
  locale: Locale;
  /** False until the main side answered; the defaults are shown meanwhile. */
  loaded: boolean;
}

/** The app-wide settings (column tree, units, default language) and this user's language. */
export const settingsStore = createStore<SettingsState>({
  settings: defaultSettings(),
  locale: storedChoice() ?? 'zh-CN',
  loaded: false,
});

function showLocale(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** Reads settings from the main side. */
export async function loadSettings(): Promise<void> {
  const settings = await api.invoke('settings:get', {});
  const locale = storedChoice() ?? settings.locale;
  showLocale(locale);
  settingsStore.set({ settings, locale, loaded: true });
}

/** Switches the interface language for this user at once and remembers it on this computer. */
export function chooseLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(LOCALE_CHOICE_KEY, locale);
  } catch {
    // Without storage the choice lasts until the window closes.
  }
  showLocale(locale);
  settingsStore.set({ ...settingsStore.get(), locale });
}

/**
 * Saves settings. The screen updates at once (a language switch must feel
 * instant); if the main side refuses, the previous settings come back and the
 * error is rethrown for the caller to show.
 */
export async function saveSettings(next: Settings): Promise<Settings> {
  const previous = settingsStore.get();
  settingsStore.set({ ...previous, settings: next });
  try {
    const saved = await api.invoke('settings:save', next);
    settingsStore.set({ ...settingsStore.get(), settings: saved, loaded: true });
    return saved;
  } catch (error) {
    settingsStore.set({ ...settingsStore.get(), settings: previous.settings });
    throw error;
  }
}

/** The current settings. */
export function useSettings(): Settings {
  return useStore(settingsStore).settings;
}

/** The current UI language. */
export function useLocale(): Locale {
  return useStore(settingsStore).locale;
}

/** A translator bound to the current language; components re-render when it changes. */
export type Translator = (key: MessageKey, params?: MessageParams) => string;

/** See {@link Translator}. */
export function useT(): Translator {
  const locale = useLocale();
  return useCallback((key: MessageKey, params?: MessageParams) => translate(locale, key, params), [locale]);
}

/** The current language outside React (for messages built in stores). */
export function currentLocale(): Locale {
  return settingsStore.get().locale;
}

/** A message in the current language, for controllers outside React (toasts, thrown refusals). */
export function translateNow(key: MessageKey, params?: MessageParams): string {
  return translate(currentLocale(), key, params);
}
