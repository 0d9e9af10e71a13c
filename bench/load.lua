-- wrk script for bench/run: rotates over prepared requests so that no single row is
-- served from a warm cache over and over.
-- Arguments (after `--`): FILE [TOKEN [COOKIE]]
--   FILE lines: "GET<TAB>/path" or "POST<TAB>/path<TAB>X-Twilio-Signature<TAB>form body"
--     (an empty signature sends none: a web form)
--   TOKEN: sent as "Authorization: Bearer TOKEN" on every request (optional)
--   COOKIE: sent as the Cookie header on every request (optional: a web session)
-- done() prints one machine-readable RESULT line that bench/run parses.
local requests, count, next_index = {}, 0, 0

function init(args)
  local file, token, cookie = args[1], args[2], args[3]
  for line in io.lines(file) do
    local method, path, signature, body = line:match("^(%u+)\t([^\t]+)\t?([^\t]*)\t?(.*)$")
    local headers = {}
    if token and token ~= "" then
      headers["Authorization"] = "Bearer " .. token
    end
    if cookie and cookie ~= "" then
      headers["Cookie"] = cookie
    end
    if method == "POST" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      if signature ~= "" then
        headers["X-Twilio-Signature"] = signature
      end
      count = count + 1
      requests[count] = wrk.format("POST", path, headers, body)
    elseif method then
      count = count + 1
      requests[count] = wrk.format("GET", path, headers)
    end
  end
  if count == 0 then
    error("no requests in " .. tostring(file))
  end
end

function request()
  next_index = next_index % count + 1
  return requests[next_index]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "bytes=%d status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.bytes, e.status, e.connect + e.read + e.write + e.timeout))
end
