-- wrk script of bench/budgets.py: two paths on the same connections, alternated second by second
-- (the page in even seconds of the clock, the yardstick in odd ones), counting the requests each
-- wall-clock second sends. Separate wrk runs open new connections, which gunicorn's processes
-- share out by chance (all 16 on one process halved a run's rate), so a ratio between two runs
-- measured that draw as much as the page.
--
--   wrk ... --script bench/alternate.lua <url> -- <even-second path> <odd-second path>
--
-- done() prints one line per second: "second <unix time> <requests sent>".

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  even = wrk.format("GET", args[1])
  odd = wrk.format("GET", args[2])
  counts = {}
end

function request()
  local now = os.time()
  counts[now] = (counts[now] or 0) + 1
  if now % 2 == 0 then
    return even
  end
  return odd
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for second, sent in pairs(thread:get("counts")) do
      total[second] = (total[second] or 0) + sent
    end
  end
  for second, sent in pairs(total) do
    io.write(string.format("second %d %d\n", second, sent))
  end
end
