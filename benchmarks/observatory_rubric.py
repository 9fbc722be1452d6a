"""Mozilla's HTTP Observatory rubric, as benchmarks/observatory.py applies it: its score
table and grades (mdn/mdn-http-observatory, ``src/grader/charts.js``), its ten tests
(``src/analyzer/tests/*.js``) over the answers fetched, and the score they add up to."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

# The Observatory's score table (src/grader/charts.js): result -> modifier.
SCORES = {
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-header-invalid": -25,
    "csp-not-implemented": -25,
    "cookies-secure-with-httponly-sessions-and-samesite": 5,
    "cookies-secure-with-httponly-sessions": 0,
    "cookies-not-found": 0,
    "cookies-without-secure-flag-but-protected-by-hsts": -5,
    "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
    "cookies-without-secure-flag": -20,
    "cookies-anticsrf-without-samesite-flag": -20,
    "cookies-samesite-flag-invalid": -20,
    "cookies-session-without-httponly-flag": -30,
    "cookies-session-without-secure-flag": -40,
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    "redirection-to-https": 0,
    "redirection-off-host-from-http": -5,
    "redirection-not-to-https-on-initial-redirection": -10,
    "redirection-not-to-https": -20,
    "redirection-missing": -20,
    "referrer-policy-private": 5,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    "hsts-preloaded": 5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    "sri-implemented-and-all-scripts-loaded-securely": 5,
    "sri-not-implemented-response-not-html": 0,
    "sri-not-implemented-but-no-scripts-loaded": 0,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    "sri-implemented-but-external-scripts-not-loaded-securely": -20,
    "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    "cross-origin-resource-policy-implemented-with-same-origin": 10,
    "cross-origin-resource-policy-implemented-with-same-site": 10,
    "cross-origin-resource-policy-implemented-with-cross-origin": 0,
    "cross-origin-resource-policy-not-implemented": 0,
    "cross-origin-resource-policy-header-invalid": -5,
}
GRADES = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+")]
GRADES += [(50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F")]
MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90
SIX_MONTHS = 15_768_000
BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
NONCES_HASHES = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")
PRIVATE_REFERRERS = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
UNSAFE_REFERRERS = {
    "origin",
    "origin-when-cross-origin",
    "unsafe-url",
    "no-referrer-when-downgrade",
}


@dataclass
class Answer:
    url: str
    status: int
    headers: dict  # lower-case name -> [values]
    body: str = ""
    cookies: list = field(default_factory=list)  # Set-Cookie values

    def header(self, name):
        values = self.headers.get(name.lower())
        return values[0] if values else None


# The tests, each as the Observatory's: (result, note).


def csp_policy(answer):
    value = answer.header("Content-Security-Policy")
    if not value:
        return None
    policy = {}
    for part in value.split(";"):
        words = part.strip().split()
        if words:
            policy.setdefault(words[0].lower(), set(words[1:]))
    return policy


def test_csp(answer):
    policy = csp_policy(answer)
    if policy is None:
        return "csp-not-implemented", "no Content-Security-Policy header"
    default = policy.get("default-src")
    script = set(policy.get("script-src", default or {"*"}))
    style = set(policy.get("style-src", default or {"*"}))
    objects = policy.get("object-src", default or {"*"})
    for sources in (script, style):
        if any(s.startswith(NONCES_HASHES) for s in sources):
            sources.discard("'unsafe-inline'")
    https = answer.url.startswith("https:")
    active = [s for name, v in policy.items() if name not in ("img-src", "media-src") for s in v]
    passive = [s for name in ("img-src", "media-src") for s in policy.get(name, default or ())]
    if script & (BROAD | UNSAFE_INLINE) or objects & BROAD:
        result = "csp-implemented-with-unsafe-inline"
    elif https and any(s.startswith(("http:", "ftp:")) for s in active):
        result = "csp-implemented-with-insecure-scheme"
    elif "'unsafe-eval'" in script | style:
        result = "csp-implemented-with-unsafe-eval"
    elif https and any(s.startswith(("http:", "ftp:")) for s in passive):
        result = "csp-implemented-with-insecure-scheme-in-passive-content-only"
    elif style & (BROAD | UNSAFE_INLINE):
        result = "csp-implemented-with-unsafe-inline-in-style-src-only"
    elif default == {"'none'"}:
        result = "csp-implemented-with-no-unsafe-default-src-none"
    else:
        result = "csp-implemented-with-no-unsafe"
    return result, "; ".join(f"{k} {' '.join(sorted(v))}" for k, v in sorted(policy.items()))


# The cookie results, best to worst: a cookie's fault replaces a milder one's.
COOKIE_FAULTS = [
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
]


def test_cookies(answer):
    if not answer.cookies:
        return "cookies-not-found", "no cookie set"
    hsts = test_hsts(answer)[0] in ("hsts-implemented-max-age-at-least-six-months",)
    faults, samesite_everywhere = [], True
    for raw in answer.cookies:
        name = raw.split("=", 1)[0].strip().lower()
        attributes = {}
        for part in raw.split(";")[1:]:
            key, _, value = part.partition("=")
            attributes[key.strip().lower()] = value.strip().lower()
        session = "login" in name or "sess" in name  # the Observatory's own test
        secure, samesite = "secure" in attributes, attributes.get("samesite")
        if samesite is not None and samesite not in ("lax", "strict", "none"):
            faults.append("cookies-samesite-flag-invalid")
        if samesite == "none" and not secure:
            faults.append("cookies-samesite-flag-invalid")
        if not secure:
            faults.append(
                "cookies-without-secure-flag-but-protected-by-hsts"
                if hsts
                else "cookies-without-secure-flag"
            )
        if "csrf" in name and not samesite:
            faults.append("cookies-anticsrf-without-samesite-flag")
        if session and not secure:
            faults.append(
                "cookies-session-without-secure-flag-but-protected-by-hsts"
                if hsts
                else "cookies-session-without-secure-flag"
            )
        if session and "httponly" not in attributes:
            faults.append("cookies-session-without-httponly-flag")
        samesite_everywhere = samesite_everywhere and bool(samesite)
    names = ", ".join(answer.cookies)
    if faults:
        return max(faults, key=COOKIE_FAULTS.index), names
    if samesite_everywhere:
        return "cookies-secure-with-httponly-sessions-and-samesite", names
    return "cookies-secure-with-httponly-sessions", names


def test_cors(answer, probed):
    origin = answer.header("Access-Control-Allow-Origin")
    if not origin:
        return "cross-origin-resource-sharing-not-implemented", "no Access-Control-Allow-Origin"
    credentials = (probed.header("Access-Control-Allow-Credentials") or "").lower() == "true"
    if probed.header("Access-Control-Allow-Origin") == PROBE_ORIGIN and credentials:
        return "cross-origin-resource-sharing-implemented-with-universal-access", "reflects"
    if origin.strip() == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access", "*"
    return "cross-origin-resource-sharing-implemented-with-restricted-access", origin


def test_redirection(first, host):
    location = first.header("Location") if 300 <= first.status < 400 else None
    if not location:
        return "redirection-missing", f"plain HTTP answered {first.status}"
    target = urlsplit(location)
    if target.scheme and target.scheme != "https":
        return "redirection-not-to-https", location
    if target.netloc and target.netloc != host:
        return "redirection-off-host-from-http", location
    return "redirection-to-https", f"{first.status} to {location}"


def test_referrer(answer):
    value = answer.header("Referrer-Policy")
    if not value:
        return "referrer-policy-not-implemented", "no Referrer-Policy"
    policies = [p.strip().lower() for p in value.split(",") if p.strip()]
    known = [p for p in policies if p in PRIVATE_REFERRERS | UNSAFE_REFERRERS]
    if not known:
        return "referrer-policy-header-invalid", value
    if known[-1] in PRIVATE_REFERRERS:
        return "referrer-policy-private", value
    return "referrer-policy-unsafe", value


def test_hsts(answer):
    value = answer.header("Strict-Transport-Security")
    if not value:
        return "hsts-not-implemented", "no Strict-Transport-Security"
    match = re.search(r"max-age\s*=\s*\"?(\d+)", value, re.I)
    if not match:
        return "hsts-header-invalid", value
    if int(match.group(1)) < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months", value
    note = value + " (+5 once the host is on the HSTS preload list: not checkable here)"
    return "hsts-implemented-max-age-at-least-six-months", note


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []  # (src, has integrity)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.scripts.append((attrs["src"], bool(attrs.get("integrity"))))


def test_sri(answer, host):
    if "html" not in (answer.header("Content-Type") or ""):
        return "sri-not-implemented-response-not-html", answer.header("Content-Type")
    parser = Scripts()
    parser.feed(answer.body)
    if not parser.scripts:
        return "sri-not-implemented-but-no-scripts-loaded", "no <script src>"
    external = [(s, i) for s, i in parser.scripts if urlsplit(s).netloc not in ("", host)]
    insecure = [s for s, _ in external if not s.startswith("https:")]
    all_sri = all(i for _, i in external) if external else all(i for _, i in parser.scripts)
    names = ", ".join(s for s, _ in parser.scripts)
    if insecure:
        if any(i for _, i in external):
            return "sri-implemented-but-external-scripts-not-loaded-securely", names
        return "sri-not-implemented-and-external-scripts-not-loaded-securely", names
    if all_sri:
        return "sri-implemented-and-all-scripts-loaded-securely", names
    if external:
        return "sri-not-implemented-but-external-scripts-loaded-securely", names
    return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", names


def test_nosniff(answer):
    value = answer.header("X-Content-Type-Options")
    if not value:
        return "x-content-type-options-not-implemented", "no X-Content-Type-Options"
    if value.strip().lower() != "nosniff":
        return "x-content-type-options-header-invalid", value
    return "x-content-type-options-nosniff", value


def test_framing(answer):
    policy = csp_policy(answer) or {}
    ancestors = policy.get("frame-ancestors")
    if ancestors is not None and not ancestors & BROAD:
        return "x-frame-options-implemented-via-csp", "frame-ancestors " + " ".join(ancestors)
    value = answer.header("X-Frame-Options")
    if not value:
        return "x-frame-options-not-implemented", "no X-Frame-Options"
    if value.strip().lower() in ("deny", "sameorigin") or value.lower().startswith("allow-from"):
        return "x-frame-options-sameorigin-or-deny", value
    return "x-frame-options-header-invalid", value


def test_corp(answer):
    value = (answer.header("Cross-Origin-Resource-Policy") or "").strip().lower()
    results = {
        "": "cross-origin-resource-policy-not-implemented",
        "same-origin": "cross-origin-resource-policy-implemented-with-same-origin",
        "same-site": "cross-origin-resource-policy-implemented-with-same-site",
        "cross-origin": "cross-origin-resource-policy-implemented-with-cross-origin",
    }
    return results.get(value, "cross-origin-resource-policy-header-invalid"), value or "none"


PROBE_ORIGIN = "https://observatory.invalid"


def grade(score):
    return next(letter for floor, letter in GRADES if score >= floor)


def scorecard(first, answer, probed, host):
    results = [
        ("content-security-policy", test_csp(answer)),
        ("cookies", test_cookies(answer)),
        ("cross-origin-resource-sharing", test_cors(answer, probed)),
        ("redirection", test_redirection(first, host)),
        ("referrer-policy", test_referrer(answer)),
        ("strict-transport-security", test_hsts(answer)),
        ("subresource-integrity", test_sri(answer, host)),
        ("x-content-type-options", test_nosniff(answer)),
        ("x-frame-options", test_framing(answer)),
        ("cross-origin-resource-policy", test_corp(answer)),
    ]
    modifiers = [SCORES[result] for _, (result, _) in results]
    uncurved = 100 + sum(m for m in modifiers if m < 0)
    score = 100 + sum(modifiers) if uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT else uncurved
    return results, max(score, 0)
