"""Container health check without curl: `python -m service.api.healthcheck`.

Asks the local server's readiness endpoint; exit 0 when it answers 200, else 1.
Reads PORT (default 8000) like gunicorn.conf.py does.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT') or 8000}/v1/health/ready"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - fixed local URL
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"not healthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
