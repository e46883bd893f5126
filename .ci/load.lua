-- wrk script of .ci/load: each request picks a kind of page by weight, then one address of
-- that kind at random from the file given after `--` (lines "kind<TAB>path", written by
-- .ci/load from the running portal: its sitemap, its offers' CSV export, and board searches).
-- done() prints the figures as "LOAD key=value" lines for the script to read, and the
-- statuses seen (wrk itself only counts those >= 400).

-- Share of the requests per kind, in percent; a kind without addresses is skipped.
local weights = {
  territory = 35, -- home, region, départements, EPCI, communes, commune search
  board = 25,     -- /offres with filters, words with typos, radius
  offer = 20,     -- pages of the published offers
  map = 15,       -- the map's layers
  other = 5,      -- aids simulator, agenda, feed, CSV export
}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  paths, kinds, total_weight = {}, {}, 0
  statuses, sent = {}, {}
  local file = assert(io.open(args[1], "r"), "paths file")
  for line in file:lines() do
    local kind, path = line:match("^(%w+)\t(.+)$")
    if kind then
      paths[kind] = paths[kind] or {}
      table.insert(paths[kind], path)
    end
  end
  file:close()
  for kind, weight in pairs(weights) do
    if paths[kind] then
      table.insert(kinds, { kind = kind, upto = total_weight + weight })
      total_weight = total_weight + weight
    end
  end
  -- Each thread its own sequence, the same from one run to the next.
  math.randomseed(tonumber(args[2] or "1") * 7919 + id)
  -- Browsers ask for compressed bodies: the reference map layers are served precompressed
  -- and pages compressed on the fly, as for a real visitor.
  wrk.headers["Accept-Encoding"] = "br, gzip"
  wrk.headers["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8"
  wrk.headers["User-Agent"] = "medecins-territoires-load/1 (wrk)"
end

function request()
  local r = math.random() * total_weight
  for _, k in ipairs(kinds) do
    if r < k.upto then
      local list = paths[k.kind]
      sent[k.kind] = (sent[k.kind] or 0) + 1
      return wrk.format("GET", list[math.random(#list)])
    end
  end
  local list = paths[kinds[#kinds].kind]
  return wrk.format("GET", list[math.random(#list)])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local all_statuses, all_sent = {}, {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      all_statuses[status] = (all_statuses[status] or 0) + n
    end
    for kind, n in pairs(thread:get("sent") or {}) do
      all_sent[kind] = (all_sent[kind] or 0) + n
    end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("LOAD requests=%d\n", summary.requests))
  io.write(string.format("LOAD seconds=%.1f\n", seconds))
  io.write(string.format("LOAD rps=%.0f\n", summary.requests / seconds))
  io.write(string.format("LOAD p50_ms=%.1f\n", latency:percentile(50) / 1000))
  io.write(string.format("LOAD p90_ms=%.1f\n", latency:percentile(90) / 1000))
  io.write(string.format("LOAD p99_ms=%.1f\n", latency:percentile(99) / 1000))
  io.write(string.format("LOAD max_ms=%.1f\n", latency.max / 1000))
  io.write(string.format("LOAD mbytes=%.1f\n", summary.bytes / 1e6))
  io.write(string.format("LOAD errors_connect=%d\n", e.connect))
  io.write(string.format("LOAD errors_read=%d\n", e.read))
  io.write(string.format("LOAD errors_write=%d\n", e.write))
  io.write(string.format("LOAD errors_timeout=%d\n", e.timeout))
  io.write(string.format("LOAD errors_status=%d\n", e.status))
  local list = {}
  for status, n in pairs(all_statuses) do table.insert(list, string.format("%d:%d", status, n)) end
  table.sort(list)
  io.write("LOAD statuses=" .. table.concat(list, ",") .. "\n")
  list = {}
  for kind, n in pairs(all_sent) do table.insert(list, string.format("%s:%d", kind, n)) end
  table.sort(list)
  io.write("LOAD mix=" .. table.concat(list, ",") .. "\n")
end
