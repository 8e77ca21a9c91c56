"""A pyHanko signer that assembles the same CMS SignedData from parts prepared once per identity.

Why: for a PAdES signature pyHanko rebuilds, for every PDF, the whole CMS object with asn1crypto
(certificate set, signer identifier, signing-certificate-v2 attribute, algorithm identifiers)
and encodes it again: ~25-30 ms of pure Python per PDF against 0.1 ms for the ECDSA operation
itself (decision 0067, "Performance"). Between two certificates of one identity only the
document digest and the signature value change.

So the first signature per digest algorithm goes through pyHanko's own code (with a marker
digest) and its DER is cut into the constant pieces; every later one is the same bytes with the
messageDigest swapped (a fixed-length OCTET STRING) and the new signature inserted, assembled
with plain DER length encoding. The result is what pyHanko would have produced: ETSI CAdES
detached signed attributes (content-type, message-digest, signing-certificate-v2, in pyHanko's
order), the same certificates, the same algorithm identifiers. Anything the template does not
cover (a dry run, attribute certificates, CAdES extras such as commitment types, custom
attribute providers, non-PDF or non-PAdES signatures) falls through to pyHanko unchanged. A
timestamp (B-T/B-LT) is still requested by pyHanko's own unsigned-attribute code, over the
signature just made.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from asn1crypto import cms
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes, SimpleSigner


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _length(len(content)) + content


def _children(der: bytes) -> list[bytes]:
    """The encoded elements (tag + length + content) inside one constructed DER value."""
    out, start = [], _header_length(der)
    while start < len(der):
        end = start + _header_length(der[start:]) + _content_length(der[start:])
        out.append(der[start:end])
        start = end
    return out


def _header_length(der: bytes) -> int:
    first = der[1]
    return 2 if first < 0x80 else 2 + (first & 0x7F)


def _content_length(der: bytes) -> int:
    first = der[1]
    if first < 0x80:
        return first
    count = first & 0x7F
    return int.from_bytes(der[2:2 + count], "big")


@dataclass(frozen=True)
class _Template:
    """The constant DER of one identity's PAdES SignedData, around the two varying values."""

    attrs_before: bytes  # signed attributes (SET, tag 0x31) up to the digest's bytes
    attrs_after: bytes  # ... and after them
    signed_data_head: bytes  # version, digestAlgorithms, encapContentInfo, [0] certificates
    signer_info_head: bytes  # version, sid, digestAlgorithm
    signature_algorithm: bytes
    digest_size: int

    def signed_attrs(self, digest: bytes) -> bytes:
        return self.attrs_before + digest + self.attrs_after

    def content_info(self, signed_attrs: bytes, signature: bytes, unsigned: bytes | None) -> bytes:
        signer_info = _tlv(0x30, self.signer_info_head + b"\xa0" + signed_attrs[1:]
                           + self.signature_algorithm + _tlv(0x04, signature)
                           + (b"\xa1" + unsigned[1:] if unsigned else b""))
        signed_data = _tlv(0x30, self.signed_data_head + _tlv(0x31, signer_info))
        return _tlv(0x30, _SIGNED_DATA_OID + _tlv(0xA0, signed_data))


_SIGNED_DATA_OID = cms.ContentType("signed_data").dump()


class PreparedSigner(SimpleSigner):
    """SimpleSigner whose PAdES CMS is assembled from per-identity prepared parts."""

    @classmethod
    def from_simple(cls, signer: SimpleSigner) -> PreparedSigner:
        return cls(signing_cert=signer.signing_cert, signing_key=signer.signing_key,
                   cert_registry=signer.cert_registry,
                   signature_mechanism=signer._signature_mechanism,
                   prefer_pss=signer.prefer_pss, embed_roots=signer.embed_roots,
                   attribute_certs=list(signer.attribute_certs))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._templates: dict[str, _Template] = {}
        # pyHanko parses the key from DER on every signature; once is enough.
        self._private_key = serialization.load_der_private_key(self.signing_key.dump(), None)

    def _preparable(self, *, dry_run, use_pades, signed_attr_settings, is_pdf_sig,
                    encap_content_info) -> bool:
        settings = signed_attr_settings or PdfCMSSignedAttributes()
        return (not dry_run and use_pades and is_pdf_sig and encap_content_info is None
                and self.signed_attr_prov_spec is None and self.unsigned_attr_prov_spec is None
                and not list(self.attribute_certs) and settings.cades_signed_attrs is None
                and settings.adobe_revinfo_attr is None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            name = mechanism.signature_algo
        except ValueError:
            name = mechanism["algorithm"].native
        key = self._private_key
        if name == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        if name == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if name == "ed25519" and isinstance(key, ed25519.Ed25519PrivateKey):
            return key.sign(data)
        return super().sign_raw(data, digest_algorithm)  # PSS, DSA, ...: pyHanko's own path

    async def _template(self, digest_algorithm: str) -> _Template:
        template = self._templates.get(digest_algorithm)
        if template is not None:
            return template
        marker = os.urandom(get_pyca_cryptography_hash(digest_algorithm).digest_size)
        reference = await super().async_sign(marker, digest_algorithm, use_pades=True,
                                             signed_attr_settings=PdfCMSSignedAttributes())
        # ContentInfo: contentType, [0] EXPLICIT SignedData
        data_parts = _children(_children(_children(reference.dump())[1])[0])
        info_parts = _children(_children(data_parts[4])[0])
        # SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature
        # SignedData: version, digestAlgorithms, encapContentInfo, [0] certificates, signerInfos
        if len(info_parts) != 6 or info_parts[3][0] != 0xA0 or len(data_parts) != 5 \
                or data_parts[3][0] != 0xA0:
            raise RuntimeError("unexpected SignedData layout")
        attrs = b"\x31" + info_parts[3][1:]  # what is signed: the attributes as a SET
        if attrs.count(marker) != 1:
            raise RuntimeError("unexpected signed attributes layout")
        before, after = attrs.split(marker)
        template = _Template(attrs_before=before, attrs_after=after,
                             signed_data_head=b"".join(data_parts[:4]),
                             signer_info_head=b"".join(info_parts[:3]),
                             signature_algorithm=info_parts[4], digest_size=len(marker))
        self._templates[digest_algorithm] = template
        return template

    async def async_sign(self, data_digest: bytes, digest_algorithm: str, dry_run=False,
                         use_pades=False, timestamper=None, signed_attr_settings=None,
                         is_pdf_sig=True, encap_content_info=None) -> cms.ContentInfo:
        if not self._preparable(dry_run=dry_run, use_pades=use_pades,
                                signed_attr_settings=signed_attr_settings, is_pdf_sig=is_pdf_sig,
                                encap_content_info=encap_content_info):
            return await super().async_sign(
                data_digest, digest_algorithm, dry_run=dry_run, use_pades=use_pades,
                timestamper=timestamper, signed_attr_settings=signed_attr_settings,
                is_pdf_sig=is_pdf_sig, encap_content_info=encap_content_info)
        digest_algorithm = digest_algorithm.lower()
        self._check_digest_algorithm(digest_algorithm)
        template = await self._template(digest_algorithm)
        if len(data_digest) != template.digest_size:
            raise ValueError("digest length does not match the digest algorithm")
        signed_attrs = template.signed_attrs(data_digest)
        signature = await self.async_sign_raw(signed_attrs, digest_algorithm)
        unsigned = None
        if timestamper is not None:  # the signature timestamp, by pyHanko's own code
            attrs = await self.unsigned_attrs(digest_algorithm, signature,
                                              signed_attrs=cms.CMSAttributes.load(signed_attrs),
                                              timestamper=timestamper)
            unsigned = attrs.dump() if attrs else None
        return cms.ContentInfo.load(template.content_info(signed_attrs, signature, unsigned))
