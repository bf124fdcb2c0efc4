-- wrk script for bench/load.sh: alternates between the paths given after "--" and counts the answers by status
-- class, so a redirect to the log-in page (an expired cookie) shows up as clearly as a server error.
local paths = {}
local counter = 0
local threads = {}
counts = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = args
  counts = { ["2xx"] = 0, ["3xx"] = 0, ["4xx"] = 0, ["5xx"] = 0 }
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  local class = math.floor(status / 100) .. "xx"
  counts[class] = (counts[class] or 0) + 1
end

function done(summary, latency, requests)
  local totals = { ["2xx"] = 0, ["3xx"] = 0, ["4xx"] = 0, ["5xx"] = 0 }
  for _, thread in ipairs(threads) do
    for class, n in pairs(thread:get("counts")) do
      totals[class] = (totals[class] or 0) + n
    end
  end
  io.write(string.format("STATUS 2xx=%d 3xx=%d 4xx=%d 5xx=%d\n", totals["2xx"], totals["3xx"], totals["4xx"], totals["5xx"]))
  io.write(string.format("RPS %.1f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("P99_MS %.1f\n", latency:percentile(99) / 1000))
  io.write(string.format("P50_MS %.1f\n", latency:percentile(50) / 1000))
  io.write(string.format("ERRORS connect=%d read=%d write=%d timeout=%d status=%d\n", summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
end
