// The API key lives in sessionStorage: it survives a reload but not closing the tab, and is never
// written to localStorage or a cookie. The clinic's zone is remembered beside it once an answer names it.
const KEY = 'esi.apiKey';
const ZONE = 'esi.clinicZone';

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage disabled by the browser: the key lasts until the page is left
  }
}

export const session = {
  key: (): string | null => storage()?.getItem(KEY) ?? null,
  setKey: (k: string) => storage()?.setItem(KEY, k),
  clear: () => {
    storage()?.removeItem(KEY);
  },
  zone: (): string | null => storage()?.getItem(ZONE) ?? null,
  setZone: (z: string) => storage()?.setItem(ZONE, z),
};
