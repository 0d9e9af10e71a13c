"""The config file (SPEC §8, §10): an unknown key or a value of the wrong type stops every command
with an error naming the key, before anything is served or written."""
import subprocess

import pytest

from harvest_env import BIN, Server

pytestmark = pytest.mark.first_pass_only(
    "the config file is refused before any database is opened")


def run(db, *args):
    return subprocess.run([BIN, "--db", str(db), *args], capture_output=True, text=True,
                          timeout=60)


def test_serve_refuses_a_mistyped_secret(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('listen = "127.0.0.1:0"\n\n[kannel]\nsecert = "s3cret"\n')
    proc = run(tmp_path / "h.db", "serve", "--config", str(bad), "--quiet")
    assert proc.returncode == 1, proc
    assert "listening" not in proc.stdout
    assert f"{bad}:4: unknown key kannel.secert (did you mean kannel.secret?)" in proc.stderr
    assert not (tmp_path / "h.db").exists()  # stopped before opening the database

    good = tmp_path / "good.toml"
    good.write_text('listen = "127.0.0.1:0"\n\n[kannel]\nsecret = "s3cret"\n')
    server = Server(tmp_path / "h.db", ("--config", str(good)))
    try:
        assert server.get("/sms/kannel?key=s3cret&from=%2B18765550000&text=HELP").status == 200
    finally:
        assert server.stop() == 0


def test_wrong_type_stops_every_command(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[sms]\nofficer_checks_per_hour = "60"\n')
    for args in (["serve", "--listen", "127.0.0.1:0"], ["key", "list"],
                 ["demo", "--farmers", "2"]):
        proc = run(tmp_path / "h.db", "--config", str(bad), *args)
        assert proc.returncode == 1, (args, proc)
        assert (f"{bad}:2: sms.officer_checks_per_hour must be a whole number, not a string"
                in proc.stderr), (args, proc.stderr)


def test_config_from_the_environment_is_checked_too(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[limits]\nbogus_setting = 1\n")
    proc = subprocess.run([BIN, "--db", str(tmp_path / "h.db"), "key", "list"],
                          capture_output=True, text=True, timeout=60,
                          env={"HARVEST_CONFIG": str(bad), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1, proc
    assert "unknown key limits.bogus_setting" in proc.stderr
