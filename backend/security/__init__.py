"""HTTP security headers of the whole site (docs/decisions/0041-security-headers.md)."""
