"""What deploy/ installs agrees with the settings it serves."""

import re
from pathlib import Path

from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
NGINX = (DEPLOY / "nginx" / "centiro.conf").read_text()


def directive(name, text=NGINX):
    return re.findall(rf"^\s*{name}\s+([^;]+);", text, flags=re.MULTILINE)


def test_nginx_takes_the_largest_resource_upload_and_little_more():
    (size,) = set(directive("client_max_body_size"))
    limit = int(size.removesuffix("m")) * 1024 * 1024

    assert settings.RESOURCE_MAX_UPLOAD_BYTES <= limit <= settings.RESOURCE_MAX_UPLOAD_BYTES + 2**21


def test_nginx_access_log_has_no_address_query_or_browser():
    (log_format,) = re.findall(r"log_format centiro (.+?);", NGINX, flags=re.DOTALL)

    for variable in [
        "$remote_addr",
        "$binary_remote_addr",
        "$proxy_add_x_forwarded_for",
        "$http_x_forwarded_for",
        "$request ",
        "$request_uri",
        "$args",
        "$query_string",
        "$http_user_agent",
        "$http_referer",
        "$http_cookie",
    ]:
        assert variable not in log_format + " "
    assert set(directive("access_log")) == {"/var/log/nginx/centiro.access.log centiro"}


def test_nginx_appends_the_client_address_and_overwrites_the_scheme():
    headers = [value.split(None, 1) for value in directive("proxy_set_header")]
    forwarded_for = {value for name, value in headers if name == "X-Forwarded-For"}
    forwarded_proto = [value for name, value in headers if name == "X-Forwarded-Proto"]
    proxied = directive("proxy_pass")

    assert forwarded_for == {"$proxy_add_x_forwarded_for"}
    # Each location that proxies sets both, the scheme as a literal of its server block.
    assert (
        len(proxied)
        == len(forwarded_proto)
        == len([name for name, _ in headers if name == "X-Forwarded-For"])
    )
    assert sorted(forwarded_proto) == ["http", "https"]


def test_every_variable_of_the_production_environment_file_is_known():
    def names(path):
        return set(re.findall(r"^([A-Z_]+)=", path.read_text(), flags=re.MULTILINE))

    gunicorn_conf = (Path(settings.BASE_DIR) / "centiro_site" / "gunicorn.conf.py").read_text()
    known = names(Path(settings.BASE_DIR) / ".env.example") | set(
        re.findall(r'os\.environ\.get\("([A-Z_]+)"', gunicorn_conf)
    )

    assert names(DEPLOY / "centiro.env.example") <= known


def test_the_systemd_unit_serves_with_the_projects_gunicorn_settings():
    unit = (DEPLOY / "systemd" / "centiro.service").read_text()
    (start,) = re.findall(r"^ExecStart=(.+)$", unit, flags=re.MULTILINE)

    assert start.split()[1:] == ["-c", "centiro_site/gunicorn.conf.py", "centiro_site.wsgi"]
    assert (Path(settings.BASE_DIR) / "centiro_site" / "gunicorn.conf.py").is_file()


def test_the_systemd_unit_reloads_with_a_rolling_restart():
    unit = (DEPLOY / "systemd" / "centiro.service").read_text()
    (reload,) = re.findall(r"^ExecReload=(.+)$", unit, flags=re.MULTILINE)

    assert reload.split()[1:] == ["-m", "core.rolling_restart", "$MAINPID"]
