"""AES-256-GCM for personal data at rest (PIPA 제7조②: account numbers are stored encrypted).

Ciphertext is ``<key id>$<base64(nonce || ciphertext+tag)>``. Keys come from the environment
(settings.FIELD_ENCRYPTION_KEYS = "kid:base64key,kid:base64key"); the first key encrypts, every
listed key decrypts, so a key is retired by re-encrypting with ``rotate_field_keys`` and then
removing it from the list.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class KeyRing:
    """The keys in force: the first encrypts, all decrypt."""

    def __init__(self, spec: str):
        self.keys: dict[str, bytes] = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            kid, _, b64 = part.partition(":")
            key = base64.b64decode(b64)
            if not kid or "$" in kid or len(key) not in (16, 24, 32):
                raise ValueError(f"bad field-encryption key entry {kid!r}")
            self.keys[kid] = key
        if not self.keys:
            raise ValueError("no field-encryption key configured")
        self.current = next(iter(self.keys))

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        ct = AESGCM(self.keys[self.current]).encrypt(
            nonce, plaintext.encode(), self.current.encode()
        )
        return f"{self.current}${base64.b64encode(nonce + ct).decode()}"

    def decrypt(self, token: str) -> str:
        kid, _, b64 = token.partition("$")
        raw = base64.b64decode(b64)
        return AESGCM(self.keys[kid]).decrypt(raw[:12], raw[12:], kid.encode()).decode()

    def key_id_of(self, token: str) -> str:
        return token.partition("$")[0]
