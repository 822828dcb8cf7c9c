/** Replaced at build time with package.json's version. */
declare const __TCLD_VERSION__: string | undefined;

export const VERSION: string = typeof __TCLD_VERSION__ === 'string' ? __TCLD_VERSION__ : '0.0.0-dev';
