"""The kill test's load and its accounting (SPEC §10), shared by the SQLite and PostgreSQL
runs: 64 clients stream checks, farmer edits and Twilio messages until the server is
SIGKILLed; then every answered one must be in the database."""
import base64
import hashlib
import hmac
import signal
import threading
import time
from urllib.parse import urlencode

TOKEN = "durable-test-token"
PUBLIC = "https://harvest.example.org"
SERVER_ENV = {"HARVEST_TWILIO_AUTH_TOKEN": TOKEN, "HARVEST_PUBLIC_URL": PUBLIC}


def twilio_help(server, sender, sid):
    params = {"From": sender, "To": "+18765550000", "Body": "HELP", "MessageSid": sid}
    data = PUBLIC + "/sms/twilio" + "".join(k + v for k, v in sorted(params.items()))
    signature = base64.b64encode(hmac.new(TOKEN.encode(), data.encode(), hashlib.sha1).digest())
    return server.request("POST", "/sms/twilio", body=urlencode(params),
                          headers={"Content-Type": "application/x-www-form-urlencoded",
                                   "X-Twilio-Signature": signature.decode()})


def stream_then_kill(server, police_key, extension_key, farmers, receipts, seconds=4):
    """Runs the load on `server` (started with SERVER_ENV) for `seconds`, SIGKILLs it; returns
    what was answered: ({receipt: checks}, {farmer: (last step, edits)}, [message ids])."""
    checks, patches, replies = {}, {}, []
    lock = threading.Lock()
    stop = threading.Event()

    def stream(n):
        farmer, step = farmers[n % len(farmers)], 0
        while not stop.is_set():
            step += 1
            try:
                if step % 3 == 0:
                    receipt = receipts[(n * 7919 + step) % len(receipts)]
                    r = server.get(f"/api/v1/verify/receipt/{receipt}", key=police_key)
                    if r.status == 200:
                        with lock:
                            checks[receipt] = checks.get(receipt, 0) + 1
                elif step % 3 == 1:
                    r = server.patch(f"/api/v1/farmers/{farmer}", {"remarks": f"kill {step}"},
                                     key=extension_key)
                    if r.status == 200:
                        with lock:
                            patches[farmer] = (step, patches.get(farmer, (0, 0))[1] + 1)
                else:
                    sid = f"SMkill{n:02d}x{step:06d}"
                    r = twilio_help(server, f"+1876{n:02d}{step:05d}", sid)
                    if r.status == 200 and b"HELP" in r.body:
                        with lock:
                            replies.append(sid)
            except OSError:
                return  # the server is gone

    threads = [threading.Thread(target=stream, args=(n,)) for n in range(64)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait()
    stop.set()
    for t in threads:
        t.join()
    server.stop()
    assert sum(checks.values()) > 50 and len(patches) > 10 and len(replies) > 50
    return checks, patches, replies


def assert_all_kept(query, owner_of, checks, patches, replies):
    """`query(sql)` gives rows of the database; every answered check has its verifications
    row and audit entry, every answered edit its value (or a later one) and audit entry,
    every answered SMS its kept reply."""
    def counts(sql):
        return {str(k): int(n) for k, n in query(sql)}

    kept = counts("SELECT receipt, count(*) FROM verifications GROUP BY receipt")
    audited = counts("SELECT record, count(*) FROM audit WHERE dataset = 'farmers' AND "
                     "action = 'read' AND detail LIKE 'verify receipt %' GROUP BY record")
    lost = {r: n for r, n in checks.items() if kept.get(str(r), 0) < n}
    assert not lost, f"answered checks without their verifications row: {lost}"
    reads = {}
    for receipt, n in checks.items():
        reads[owner_of[receipt]] = reads.get(owner_of[receipt], 0) + n
    short = {f: n for f, n in reads.items() if audited.get(str(f), 0) < n}
    assert not short, f"answered checks without their audit entry: {short}"
    stored = {str(k): v for k, v in query("SELECT id, remarks FROM farmers")}
    updates = counts("SELECT record, count(*) FROM audit WHERE dataset = 'farmers' AND "
                     "action = 'update' GROUP BY record")
    for farmer, (step, answered) in patches.items():
        assert int(stored[str(farmer)].split()[1]) >= step, (farmer, stored[str(farmer)], step)
        assert updates.get(str(farmer), 0) >= answered, (farmer, updates.get(farmer), answered)
    ids = {m for (m,) in query("SELECT message_id FROM sms_messages WHERE gateway = 'twilio'")}
    missing = [sid for sid in replies if sid not in ids]
    assert not missing, f"answered SMS without their stored reply: {missing[:5]}"
