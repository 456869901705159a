"""Driving a page with wrk and reading its figures."""

import re
import subprocess

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"unexpected latency in wrk's output: {text!r}")
    number, unit = match.groups()
    return float(number) * UNITS[unit]


# A real browser's: the site records no visit for an empty or bot user agent.
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def run_wrk(url, *, cookie="", duration, connections):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    command[1:1] = ["-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"^\s*50%\s+(\S+)", output, re.MULTILINE).group(1)),
        "p99": to_ms(re.search(r"^\s*99%\s+(\S+)", output, re.MULTILINE).group(1)),
        "errors": errors,
    }


def warm_up(url, cookie="", connections=32):
    """Unmeasured load first: every worker has booted, imported and compiled its templates.

    wait_until_up() only proves that one worker answers; the others may still be starting.
    """
    run_wrk(url, cookie=cookie, duration=2, connections=connections)
