"""Shared pieces of the PAdES tests: a private signing directory, a second CA, a local TSA."""

from __future__ import annotations

import http.server
import io
import threading
from contextlib import contextmanager
from pathlib import Path

from certificates.pades import demo_ca


def ministry_identity(folder: Path, name: str = "Bộ Ngoại giao - Ký số chứng chỉ") -> Path:
    """A ministry-style CA (root + signer) written as a ministry would hand it over; returns
    the root certificate's PEM file (what goes into CERTIFICATES_TRUST_ROOTS)."""
    root = demo_ca.make_ca("Ban Cơ yếu Chính phủ - CA thử nghiệm", "Ban Cơ yếu Chính phủ")
    signer = demo_ca.make_signer(root, name, "Bộ Ngoại giao")
    demo_ca.write_identity(folder, signer, [root.cert])
    root_pem = folder.parent / f"{folder.name}-root.pem"
    root_pem.write_bytes(demo_ca.pem_cert(root.cert))
    return root_pem


def pyhanko_status(pdf: bytes, roots):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(pdf))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=list(roots), allow_fetching=False)
    return reader, signature, validate_pdf_signature(signature, signer_validation_context=context)


@contextmanager
def local_tsa(tmp_path: Path):
    """An RFC 3161 timestamp authority on loopback (pyHanko's DummyTimeStamper behind a tiny
    HTTP server in a thread); yields (url, root PEM path)."""
    from asn1crypto import keys, tsp, x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    def der(cert):
        return x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    # RSA: pyHanko's dummy timestamper signs with RSA only.
    root = demo_ca.make_ca("TSA Root thử nghiệm", "Đơn vị cấp dấu thời gian", use_rsa=True)
    tsa = demo_ca.make_signer(root, "TSA thử nghiệm", "Đơn vị cấp dấu thời gian", timestamping=True,
                              use_rsa=True)
    key = keys.PrivateKeyInfo.load(tsa.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    stamper = DummyTimeStamper(der(tsa.cert), key, certs_to_embed=[der(root.cert)])
    root_pem = tmp_path / "tsa-root.pem"
    root_pem.write_bytes(demo_ca.pem_cert(root.cert))
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(body)
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa", root_pem, requests
    finally:
        server.shutdown()
        server.server_close()
