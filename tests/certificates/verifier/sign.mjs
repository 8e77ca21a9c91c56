// Known answer: sign a document with the Digital Bazaar stack, from a 32-byte Ed25519 seed
// (hex) at a fixed `created`. Ed25519 is deterministic, so our Python signer must produce the
// very same proofValue. stdin: {"document", "seed", "verificationMethod", "created"}
import {npmContexts, require} from './contexts.mjs';

const vc = require('@digitalbazaar/vc');
const {DataIntegrityProof} = require('@digitalbazaar/data-integrity');
const {cryptosuite} = require('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
const Ed25519Multikey = require('@digitalbazaar/ed25519-multikey');

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const contexts = npmContexts();
const documentLoader = async url => {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  throw new Error(`refused (not local): ${url}`);
};
const [controller] = input.verificationMethod.split('#');
const key = await Ed25519Multikey.generate({
  id: input.verificationMethod, controller, seed: Buffer.from(input.seed, 'hex')});
const suite = new DataIntegrityProof({signer: key.signer(), cryptosuite, date: input.created});
const signed = await vc.issue({credential: input.document, suite, documentLoader});
process.stdout.write(JSON.stringify({signed, publicKeyMultibase: key.publicKeyMultibase}));
