"""Logging: one line per record on stdout, with the request id; no personal data."""


def logging_config(level):
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "core.middleware.RequestIdFilter"},
            "client_error": {"()": "core.middleware.ClientErrorFilter"},
        },
        "formatters": {
            "line": {
                "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s"
            }
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["request_id"],
                "formatter": "line",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            "django.server": {"level": "WARNING"},
            # Malformed or oversized requests are the client's error: one line, no traceback.
            **{
                f"django.security.{name}": {"filters": ["client_error"]}
                for name in (
                    "DisallowedHost",
                    "RequestDataTooBig",
                    "SuspiciousMultipartForm",
                    "TooManyFieldsSent",
                    "TooManyFilesSent",
                )
            },
        },
    }
