"""gunicorn's settings, read from the working directory by every `gunicorn` command here.

The site runs behind nginx (deploy/nginx/nginx.conf), which holds slow clients and sends
whole requests; the gthread worker then keeps a few requests in flight per process (a slow
database answer does not stall the others), and the timeouts return a stuck worker in
seconds. Each value can be changed from the environment.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that takes longer than this is a fault: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests (with jitter), so a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# The same header limits as the proxy's, in case gunicorn is ever reached directly.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# X-Forwarded-Proto is believed only from these addresses (the proxy on the stack's network).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
wsgi_app = "wgsom.wsgi:application"
