import { useCallback } from 'react';
import { api } from '../api/client';
import { defaultSettings, type Locale, LOCALES, type Settings } from '../../../shared/domain/settings';
import { type MessageKey, type MessageParams, translate } from '../../../shared/i18n';
import { createStore, useStore } from './store';

const LOCALE_CACHE_KEY = 'gazette.locale';

function cachedLocale(): Locale {
  try {
    const value = globalThis.localStorage?.getItem(LOCALE_CACHE_KEY);
    return (LOCALES as readonly string[]).includes(value ?? '') ? (value as Locale) : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export interface SettingsState {
  settings: Settings;
  /** False until the main side answered; the defaults are shown meanwhile. */
  loaded: boolean;
}

/** The app-wide settings (locale, column tree, units). */
export const settingsStore = createStore<SettingsState>({
  settings: { ...defaultSettings(), locale: cachedLocale() },
  loaded: false,
});

function applyLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(LOCALE_CACHE_KEY, locale);
  } catch {
    // Only a start-up nicety; the real value lives in settings.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** Reads settings from the main side. */
export async function loadSettings(): Promise<void> {
  const settings = await api.invoke('settings:get', {});
  applyLocale(settings.locale);
  settingsStore.set({ settings, loaded: true });
}

/**
 * Saves settings. The screen updates at once (a language switch must feel
 * instant); if the main side refuses, the previous settings come back and the
 * error is rethrown for the caller to show.
 */
export async function saveSettings(next: Settings): Promise<Settings> {
  const previous = settingsStore.get();
  settingsStore.set({ ...previous, settings: next });
  applyLocale(next.locale);
  try {
    const saved = await api.invoke('settings:save', next);
    settingsStore.set({ settings: saved, loaded: true });
    return saved;
  } catch (error) {
    settingsStore.set(previous);
    applyLocale(previous.settings.locale);
    throw error;
  }
}

/** The current settings. */
export function useSettings(): Settings {
  return useStore(settingsStore).settings;
}

/** The current UI language. */
export function useLocale(): Locale {
  return useStore(settingsStore).settings.locale;
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
  return settingsStore.get().settings.locale;
}
