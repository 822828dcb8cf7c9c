import { VERSION } from '../version.js';

export interface VersionOptions {}

/** `tcld version`: this tool's version and the Node.js running it. */
export async function run(_options: VersionOptions, _deps: unknown): Promise<string> {
  return `Version: ${VERSION} (tcld in TypeScript)\nNode.js: ${process.version}`;
}
