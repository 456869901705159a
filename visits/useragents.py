"""User-agent classification: browser family, OS family, device class, bot or not.

The parser (ua-parser's Rust-backed regex resolver behind its caching resolver)
is built once per process, on first use, because loading its matchers takes
a noticeable fraction of a second.
"""

import functools
import threading
from dataclasses import dataclass

import ua_parser
from ua_parser.caching import CachingResolver, S3Fifo
from ua_parser.regex import Resolver as RegexResolver

from visits.models import Device

# Cheap substring checks for clients ua-parser does not already call "Spider".
BOT_MARKERS = ("bot", "crawl", "spider", "slurp", "headless", "curl/", "wget/", "python-", "scrapy")

_parser = None
_parser_lock = threading.Lock()


def parser():
    global _parser
    if _parser is None:
        with _parser_lock:
            if _parser is None:
                resolver = RegexResolver(ua_parser.load_lazy_builtins())
                _parser = ua_parser.Parser(CachingResolver(resolver, S3Fifo(2000)))
    return _parser


@dataclass(frozen=True)
class Agent:
    browser: str
    os: str
    device: int
    is_bot: bool


# A visitor sends the same user agent on every page; the parser's own cache saves only the
# parse. Bounded, as user agents come from the request.
@functools.lru_cache(maxsize=2048)
def classify(user_agent, mobile_hint=False):
    """Classify a user agent; `mobile_hint` is `Sec-CH-UA-Mobile: ?1`."""
    if not user_agent:
        return Agent("", "", Device.DESKTOP, is_bot=True)
    result = parser().parse(user_agent).with_defaults()
    lowered = user_agent.lower()
    is_bot = result.device.family == "Spider" or any(m in lowered for m in BOT_MARKERS)
    return Agent(
        browser=result.user_agent.family[:50],
        os=result.os.family[:50],
        device=_device(lowered, result.device.family, mobile_hint),
        is_bot=is_bot,
    )


def _device(lowered, device_family, mobile_hint):
    if mobile_hint:
        return Device.MOBILE
    if (
        "ipad" in lowered
        or "tablet" in lowered
        or ("android" in lowered and "mobile" not in lowered)
        or device_family.startswith(("iPad", "Kindle"))
    ):
        return Device.TABLET
    if "mobi" in lowered or "iphone" in lowered or "ipod" in lowered:
        return Device.MOBILE
    return Device.DESKTOP


def warm_up():
    """Compile the parser's expressions before the first request (core/warmup.py)."""
    classify("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
