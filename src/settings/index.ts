export { checkSettingFlags, resolveSettings } from './resolve-settings.ts';
export type { SettingInputs } from './resolve-settings.ts';
export { defaultSettings } from './default-settings.ts';
export { resolveStoreUrl, layeredStoreUrl, redactStoreUrl } from './store-url.ts';
export { listenOf } from './listen-of.ts';
export { pickLayer } from './pick-layer.ts';
export type { Layered } from './pick-layer.ts';
export type { FileSettings, SettingFlags, SettingName, Settings } from './settings.ts';
export { bootstrapTokenOf } from './bootstrap-token-of.ts';
