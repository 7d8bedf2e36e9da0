/**
 * Debian's Chromium (installed by .ci/run with apt), driven by playwright-core, which never
 * downloads a browser: the console's browser tests and its benchmark launch it the same way.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
