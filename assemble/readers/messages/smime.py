"""An S/MIME body (``smime.p7m``: a CMS ContentInfo, RFC 5652, in DER or BER) → whether it is
signed or encrypted, and a signed one's content (the MIME entity it signs), read with a
few lines of ASN.1 rather than a cryptography library: the signature is not checked, only
what it wraps is read, and an encrypted body is named, never opened."""

from __future__ import annotations

_SIGNED = bytes.fromhex("2a864886f70d010702")  # 1.2.840.113549.1.7.2 signedData
_ENVELOPED = bytes.fromhex("2a864886f70d010703")  # 1.2.840.113549.1.7.3 envelopedData
_AUTH_ENVELOPED = bytes.fromhex("2a864886f70d0109100117")  # 1.2.840.113549.1.9.16.1.23 authEnvelopedData
_MAX_DEPTH = 16  # constructed values inside one another, at most


class NotCms(ValueError):
    """Bytes that are not a CMS ContentInfo this reader can follow."""


def kind(data: bytes) -> str:
    """"signed", "encrypted", or "" when the bytes are neither (or not CMS at all)."""
    try:
        oid = _content_type(data)
    except NotCms:
        return ""
    if oid == _SIGNED:
        return "signed"
    return "encrypted" if oid in (_ENVELOPED, _AUTH_ENVELOPED) else ""


def signed_content(data: bytes) -> bytes:
    """The content a signedData ContentInfo wraps (its encapContentInfo's eContent); NotCms
    when it has none (a detached signature) or cannot be followed."""
    info = _children(_value(data, 0)[0])  # ContentInfo: contentType, [0] content
    if len(info) < 2 or info[0][0] != 0x06 or info[0][1] != _SIGNED:
        raise NotCms("not signedData")
    signed = _children(_children(info[1][1])[0][1])  # [0] EXPLICIT SignedData
    encap = next((c for c in signed if c[0] == 0x30), None)  # version, digestAlgorithms (SET), encapContentInfo
    if encap is None:
        raise NotCms("no encapsulated content")
    parts = _children(encap[1])
    if len(parts) < 2:
        raise NotCms("a detached signature")
    octets = _children(parts[1][1])[0]
    return _octets(octets[0], octets[1])


def _content_type(data: bytes) -> bytes:
    info = _children(_value(data, 0)[0])
    if not info or info[0][0] != 0x06:
        raise NotCms("no content type")
    return info[0][1]


def _octets(tag: int, body: bytes, depth: int = 0) -> bytes:
    """An OCTET STRING's bytes, a constructed one's (BER) pieces joined."""
    if tag == 0x04:
        return body
    if tag == 0x24 and depth < _MAX_DEPTH:
        return b"".join(_octets(t, b, depth + 1) for t, b in _children(body))
    raise NotCms("not an octet string")


def _children(body: bytes) -> list[tuple[int, bytes]]:
    """The (tag, value) of each value inside a constructed value's body."""
    out, at = [], 0
    while at < len(body):
        if body[at:at + 2] == b"\0\0":  # the end of an indefinite length
            break
        tag = body[at]
        value, at = _value(body, at)
        out.append((tag, value))
    return out


def _value(data: bytes, at: int, depth: int = 0) -> tuple[bytes, int]:
    """The value of the TLV at `at`, and where the next one starts."""
    if at + 2 > len(data) or depth > _MAX_DEPTH:
        raise NotCms("cut short")
    tag, first, at = data[at], data[at + 1], at + 2
    if tag & 0x1F == 0x1F:
        raise NotCms("a long tag")
    if first == 0x80:  # indefinite length (BER): the values inside, up to two zero bytes
        if not tag & 0x20:
            raise NotCms("an indefinite primitive")
        start = end = at
        while data[end:end + 2] != b"\0\0":
            if end >= len(data):
                raise NotCms("cut short")
            end = _value(data, end, depth + 1)[1]
        return data[start:end], end + 2
    if first & 0x80:
        n = first & 0x7F
        if n > 4 or at + n > len(data):
            raise NotCms("a bad length")
        length, at = int.from_bytes(data[at:at + n], "big"), at + n
    else:
        length = first
    if at + length > len(data):
        raise NotCms("cut short")
    return data[at:at + length], at + length
