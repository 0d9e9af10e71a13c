"""A browser's side of a web session over plain HTTP: cookies kept from Set-Cookie, the csrf
field read from the page's forms, form posts; and the staff logins the page tests share."""
import re
from urllib.parse import urlencode

from harvest_env import Server, run_cli

PASSWORD = "a long enough password"
CSRF_FIELD = re.compile(r'<input type="hidden" name="csrf" value="([0-9a-f]*)">')


class WebSession:
    def __init__(self, server):
        self.server = server
        self.cookies = {}

    def _headers(self, extra=None):
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep(self, reply):
        cookie = reply.header("set-cookie")
        if cookie:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in cookie:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return reply

    def get(self, path, headers=None):
        return self._keep(self.server.get(path, headers=self._headers(headers)))

    def post(self, path, fields, headers=None):
        hdrs = self._headers(headers)
        hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        return self._keep(self.server.post(path, urlencode(fields), headers=hdrs))

    def csrf(self, path):
        """The csrf token of the first form on the page at `path`."""
        reply = self.get(path)
        assert reply.status == 200, reply
        match = CSRF_FIELD.search(reply.text)
        assert match, reply.text[:2000]
        return match.group(1)

    def log_in(self, login, password):
        token = self.csrf("/login")
        return self.post("/login", {"login": login, "password": password, "csrf": token})


def add_user(db, login, role, password=PASSWORD, check=True, env=None):
    """`harvest user add`, the password on stdin."""
    return run_cli(db, "user", "add", "--login", login, "--role", role, stdin=password + "\n",
                   check=check, env=env)


def staffed_server(db):
    """A server on `db` after adding one web login per role, named "<role>-1"."""
    for role in ("partner", "police", "extension", "admin"):
        add_user(db, f"{role}-1", role)
    return Server(db)


def logged_in(server, role):
    """A session of the "<role>-1" login of staffed_server."""
    browser = WebSession(server)
    assert browser.log_in(f"{role}-1", PASSWORD).status == 303
    return browser
