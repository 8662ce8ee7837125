-- wrk script for bench/bench_api.py: requests drawn in turn from a file of paths (a mix of
-- list, detail, search and similar requests, one path a line), non-2xx answers counted, and
-- at the end one JSON line with the latency percentiles, the errors and when they happened.
--   wrk -t2 -c50 -d30s -s bench/api_mix.lua http://127.0.0.1:PORT  (PATHS=file in the env)

local paths = {}
for line in io.lines(os.getenv("PATHS")) do
  paths[#paths + 1] = line
end

local threads = {}

function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

function init(args)
  counter = offset
  failed = 0
  first_failure = 0
  last_failure = 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  if status >= 300 then
    failed = failed + 1
    local now = os.time()
    if first_failure == 0 then first_failure = now end
    last_failure = now
  end
end

function done(summary, latency, requests)
  local failed_total, first, last = 0, 0, 0
  for _, thread in ipairs(threads) do
    local n = thread:get("failed")
    failed_total = failed_total + n
    local f, l = thread:get("first_failure"), thread:get("last_failure")
    if f ~= 0 and (first == 0 or f < first) then first = f end
    if l > last then last = l end
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "non_2xx": %d, "socket_errors": %d, '
    .. '"p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, '
    .. '"first_failure": %d, "last_failure": %d}\n',
    summary.requests, summary.duration / 1e6, failed_total,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, first, last))
end
