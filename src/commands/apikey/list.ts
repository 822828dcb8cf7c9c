import { OWNER_TYPES, tcldApiKeyList, type OwnerTypeWord } from '../../cloud/tcld-apikey.js';
import { withCloud, type ConnectionFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { printJson, TCLD_PROTO_INDENT, type Printable } from '../output-format.js';

export interface ApiKeyListOptions extends ConnectionFlags {
  ownerId?: string;
  /** user or service-account (the command table refuses other words, as tcld's validateOwnerType does). */
  ownerType?: OwnerTypeWord;
}

/** `tcld apikey list`: every key the caller may see, all pages, as tcld's `{"apiKeys": [...], "nextPageToken": ""}`. */
export async function run(options: ApiKeyListOptions, deps: Deps): Promise<Printable> {
  const keys = await withCloud(options, deps, (client) =>
    client.getApiKeys({
      ...(options.ownerId ? { ownerId: options.ownerId } : {}),
      ...(options.ownerType ? { ownerType: OWNER_TYPES[options.ownerType] } : {}),
    }),
  );
  return printJson(tcldApiKeyList(keys), TCLD_PROTO_INDENT);
}
