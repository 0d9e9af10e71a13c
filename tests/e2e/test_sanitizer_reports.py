"""The harness itself: a sanitizer report on a server's or command's stderr fails the test,
also when it comes at exit after SIGTERM (LeakSanitizer) with the process still exiting."""
import sys
import textwrap

import pytest

import harvest_env
from harvest_env import Server, run_cli

pytestmark = pytest.mark.first_pass_only(
    "the test harness itself, no database")

# Stands in for `harvest`: serves nothing, prints what a sanitized build prints at exit.
FAKE = textwrap.dedent("""\
    #!{python}
    import signal, sys, time
    report = {report!r}
    if "serve" not in sys.argv:
        sys.stderr.write(report)
        sys.exit(0)
    def stop(*_):
        sys.stderr.write(report)
        sys.exit(0)
    signal.signal(signal.SIGTERM, stop)
    print("harvest: listening on http://127.0.0.1:9", flush=True)
    while True:
        time.sleep(1)
""")

LEAK = ("\n=================================================================\n"
        "==4242==ERROR: LeakSanitizer: detected memory leaks\n\n"
        "Direct leak of 24 byte(s) in 1 object(s) allocated from:\n"
        "    #0 0x7f in operator new(unsigned long)\n\n"
        "SUMMARY: AddressSanitizer: 24 byte(s) leaked in 1 allocation(s).\n")
UB = "src/store/value.cpp:12:7: runtime error: signed integer overflow\n"


def fake_binary(tmp_path, monkeypatch, report):
    path = tmp_path / "harvest"
    path.write_text(FAKE.format(python=sys.executable, report=report))
    path.chmod(0o755)
    monkeypatch.setattr(harvest_env, "BIN", str(path))


@pytest.mark.parametrize("report", [LEAK, UB])
def test_a_report_at_exit_after_sigterm_fails_stop(tmp_path, monkeypatch, report):
    fake_binary(tmp_path, monkeypatch, report)
    srv = Server(tmp_path / "x.db")
    with pytest.raises(AssertionError, match="sanitizer report") as raised:
        srv.stop()
    assert report.strip().splitlines()[-1] in str(raised.value)  # the report is shown


def test_a_clean_exit_passes(tmp_path, monkeypatch):
    fake_binary(tmp_path, monkeypatch, "harvest: stopped\n")
    assert Server(tmp_path / "x.db").stop() == 0


def test_a_report_from_a_command_fails_it_even_unchecked(tmp_path, monkeypatch):
    fake_binary(tmp_path, monkeypatch, LEAK)
    with pytest.raises(AssertionError, match="sanitizer report"):
        run_cli(tmp_path / "x.db", "key", "list", check=False)
