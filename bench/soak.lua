-- wrk script for bench/soak: a mix of requests drawn by weight, 70 % verify, 20 % open-data
-- reads, 10 % writes, in a fixed interleaving (of every 10 requests: 7 verify, 2 reads,
-- 1 write), each class rotating over its own prepared requests.
-- Argument (after `--`): FILE, lines "CLASS<TAB>METHOD<TAB>PATH<TAB>TOKEN<TAB>BODY" with CLASS
-- verify, read or write (bench/prep.py soak-requests).
-- done() prints one RESULT line: the requests sent per class, answers outside 2xx/3xx (and
-- their statuses), and
-- wrk's latency and socket errors.
local classes = { verify = {}, read = {}, write = {} }
local order = { "verify", "read", "verify", "verify", "write", "verify", "read", "verify", "verify", "verify" }
local at = { verify = 0, read = 0, write = 0 }
sent = { verify = 0, read = 0, write = 0 }
bad = 0
bad_by = {}
local step = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local class, method, path, token, body = line:match("^(%l+)\t(%u+)\t([^\t]+)\t([^\t]*)\t(.*)$")
    if class and classes[class] then
      local headers = {}
      if token ~= "" then
        headers["Authorization"] = "Bearer " .. token
      end
      if body ~= "" then
        headers["Content-Type"] = "application/json"
      else
        body = nil
      end
      table.insert(classes[class], wrk.format(method, path, headers, body))
    end
  end
  for name, list in pairs(classes) do
    if #list == 0 then
      error("no " .. name .. " requests in " .. tostring(args[1]))
    end
  end
end

function request()
  step = step % #order + 1
  local class = order[step]
  local list = classes[class]
  at[class] = at[class] % #list + 1
  sent[class] = sent[class] + 1
  return list[at[class]]
end

function response(status, _, _)
  if status < 200 or status > 399 then
    bad = bad + 1
    bad_by[status] = (bad_by[status] or 0) + 1
  end
end

function done(summary, latency, _)
  local v, r, w, b, by = 0, 0, 0, 0, {}
  for _, t in ipairs(threads) do
    local s = t:get("sent")
    v, r, w = v + s.verify, r + s.read, w + s.write
    b = b + t:get("bad")
    for status, n in pairs(t:get("bad_by")) do
      by[status] = (by[status] or 0) + n
    end
  end
  local statuses = {}
  for status, n in pairs(by) do
    table.insert(statuses, status .. ":" .. n)
  end
  table.sort(statuses)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d " ..
    "bad_status=%d socket_errors=%d verify=%d read=%d write=%d bad_statuses=%s\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    b, e.connect + e.read + e.write + e.timeout, v, r, w,
    #statuses > 0 and table.concat(statuses, ",") or "-"))
end
