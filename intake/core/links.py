"""Link validation and the normalised URL key used to spot the same content."""

from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

# Query parameters that only track who shared a link, not what it points to.
TRACKING_PARAMS = {
    "fbclid", "gclid", "igshid", "mc_cid", "mc_eid", "spm", "share_source", "share_medium",
    "share_from", "share_token", "from", "isappinstalled", "scene", "clicktime",
    "enterid", "si", "ref", "ref_src", "s", "t", "feature", "vd_source", "xsec_source",
}
MAX_URL_LENGTH = 2048


def is_valid_url(text: str) -> bool:
    """Return True for an absolute http(s) link with a plausible host."""
    if len(text) > MAX_URL_LENGTH or any(ch.isspace() for ch in text):
        return False
    try:
        parts = urlsplit(text)
        port = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return False
    host = parts.hostname or ""
    return (
        parts.scheme in {"http", "https"}
        and "." in host
        and not host.startswith(".")
        and not host.endswith(".")
        and (port is None or 0 < port < 65536)
    )


def url_key(url: str) -> str:
    """Return the link without scheme, www, tracking parameters, fragment or trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")
    )
    # ASCII only, so the indexed key stays within index entry limits on every database.
    path = quote(parts.path.rstrip("/"), safe="/%:@!$&'()*+,;=-._~")
    key = urlunsplit(("", quote(host, safe=":.-"), path, urlencode(query), ""))
    return key.removeprefix("//")[:MAX_URL_LENGTH]


def names_a_page(key: str) -> bool:
    """Whether a url_key names a page: a bare site ("weibo.com") says nothing about what was
    reported, a path or query does. Clustering and claim matching join reports on such keys."""
    return "/" in key or "?" in key
