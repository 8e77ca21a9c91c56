// Independent verifier of our Open Badges credentials: the Digital Bazaar stack, no network.
//
// stdin: {"credential": {...}, "documents": {"<url or did>": {...}}, "now": "ISO date"?}
//   `documents` holds what pytest fetched from our own endpoints (DID documents, status list
//   credentials); the contexts come from the npm packages. Any other URL is refused.
// stdout: {"verified": bool, "errors": [...], "status": {"checked": bool, "verified": bool,
//          "revoked": bool|null, "error": "..."}}
import {npmContexts, require} from './contexts.mjs';

const vc = require('@digitalbazaar/vc');
const {DataIntegrityProof} = require('@digitalbazaar/data-integrity');
const {cryptosuite: eddsaRdfc2022CryptoSuite} =
  require('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
const {checkStatus} = require('@digitalbazaar/vc-bitstring-status-list');

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function loaderFor(documents) {
  const contexts = npmContexts();
  return async url => {
    if(contexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
    }
    const [base, fragment] = url.split('#');
    const doc = documents[url] || documents[base];
    if(!doc) {
      throw new Error(`refused (not local): ${url}`);
    }
    if(fragment && base.startsWith('did:')) {
      // a verification method inside a DID document
      const method = (doc.verificationMethod || []).find(m => m.id === url);
      if(!method) {
        throw new Error(`no verification method ${url}`);
      }
      return {contextUrl: null, documentUrl: url,
        document: {'@context': doc['@context'], ...method}};
    }
    return {contextUrl: null, documentUrl: url, document: doc};
  };
}

function messages(error) {
  if(!error) {
    return [];
  }
  const list = Array.isArray(error) ? error : [error];
  return list.flatMap(e => [
    (e.message || String(e)) + (e.details?.event?.details ?
      ` (${JSON.stringify(e.details.event.details)})` : ''),
    ...messages(e.errors || e.cause)]);
}

const input = await readStdin();
const documentLoader = loaderFor(input.documents || {});
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
const options = {credential: input.credential, suite, documentLoader};
if(input.now) {
  options.now = new Date(input.now);
}
const result = await vc.verifyCredential({
  ...options,
  checkStatus: async ({credential}) =>
    checkStatus({credential, documentLoader, suite})
});
const out = {verified: Boolean(result.verified),
  errors: messages(result.error).concat(
    (result.results || []).flatMap(r => messages(r.error))),
  status: {checked: false}};
// The status on its own (vc reports a revoked credential as not verified; say why).
const status = await checkStatus({credential: input.credential, documentLoader, suite});
out.status = {checked: true, verified: Boolean(status.verified),
  revoked: status.verified ? status.results.some(r => r.status === true) : null,
  error: status.error ? status.error.message : ''};
process.stdout.write(JSON.stringify(out));
