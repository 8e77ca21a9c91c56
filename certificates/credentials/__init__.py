"""Verifiable certificates: Open Badges 3.0 credentials signed with a Data Integrity proof
(eddsa-rdfc-2022), the issuers' did:web documents, and Bitstring status lists for revocation.

Decision record: docs/decisions/0066-verifiable-credentials.md.
"""
