/**
 * The Redis side of a budget check, each a Lua script so it runs atomically however many replicas ask
 * at once. Counters are integer nano-USD; Redis Lua numbers are doubles, exact below 2^53 nanos
 * (about $9M per scope and month), which the rules' validation enforces.
 *
 * Keys per (period, scope): `ledger` (month-to-date spend read from the rollups), `bridge` (priced calls
 * not yet seen in a ledger read), `reserved` (open reservations). Per period: a hash of reservations
 * (id -> "amount|key|key..."), a sorted set of their expiries, and the bridge hash (event_id ->
 * "amount|key|key...") that makes a commit idempotent.
 */

/** Releases a reservation: decrements every reserved counter it added to, then forgets it. */
const RELEASE = `
local function release(resv, exp, id)
  local entry = redis.call('HGET', resv, id)
  if entry then
    local amount = nil
    for part in string.gmatch(entry, '[^|]+') do
      if amount == nil then amount = part else redis.call('DECRBY', part, amount) end
    end
    redis.call('HDEL', resv, id)
  end
  redis.call('ZREM', exp, id)
  return entry ~= false and entry ~= nil
end
`;

/**
 * KEYS: reservations, expiries, the period's seeded sentinel, then per rule: ledger, bridge, reserved.
 * ARGV: now, reservation id, estimate, expires at, then per rule: limit (with overrides), hard (1/0).
 * Returns {status, then per rule: ledger, bridge, reserved as seen before this call}; status 1 =
 * reserved, 0 = denied by a hard rule (nothing reserved), -1 = this id already holds a reservation,
 * -2 = the period was never seeded from the ledger (a fresh or lost Redis): nothing was decided.
 * Each decision frees at most 8 expired reservations first, so its cost stays flat when many expire at
 * once (profiled: sweeping 100 made single decisions take 10 ms); a backlog drains over the next
 * decisions and, until then, holds room it no longer needs: more denials, never more spend.
 */
export const RESERVE_SCRIPT = `${RELEASE}
local resv, exp = KEYS[1], KEYS[2]
if redis.call('EXISTS', KEYS[3]) == 0 then return {-2} end
local now, id, estimate, expires = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
for _, old in ipairs(redis.call('ZRANGEBYSCORE', exp, '-inf', now, 'LIMIT', 0, 8)) do
  release(resv, exp, old)
end
local rules = (#KEYS - 3) / 3
local seen, allowed = {}, true
for i = 1, rules do
  local ledger = tonumber(redis.call('GET', KEYS[3 * i + 1]) or '0')
  local bridge = tonumber(redis.call('GET', KEYS[3 * i + 2]) or '0')
  local reserved = tonumber(redis.call('GET', KEYS[3 * i + 3]) or '0')
  table.insert(seen, ledger)
  table.insert(seen, bridge)
  table.insert(seen, reserved)
  local limit, hard = tonumber(ARGV[3 + 2 * i]), ARGV[4 + 2 * i] == '1'
  if hard and ledger + bridge + reserved + estimate > limit then allowed = false end
end
if redis.call('HEXISTS', resv, id) == 1 then
  table.insert(seen, 1, -1)
  return seen
end
if not allowed then
  table.insert(seen, 1, 0)
  return seen
end
local entry = ARGV[3]
for i = 1, rules do
  redis.call('INCRBY', KEYS[3 * i + 3], ARGV[3])
  entry = entry .. '|' .. KEYS[3 * i + 3]
end
redis.call('HSET', resv, id, entry)
redis.call('ZADD', exp, expires, id)
table.insert(seen, 1, 1)
return seen
`;

/**
 * A priced call arrived (the ledger already holds it): free its reservation, count its actual cost in
 * the bridge once. KEYS: reservations, expiries, bridge, then the bridge counters of every call in turn.
 * ARGV: per call: event id, actual nanos, number of bridge counters. Returns how many were new.
 */
export const COMMIT_SCRIPT = `${RELEASE}
local resv, exp, bridge = KEYS[1], KEYS[2], KEYS[3]
local key, new = 4, 0
for i = 1, #ARGV, 3 do
  local id, amount, count = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  release(resv, exp, id)
  local entry = amount
  for k = key, key + count - 1 do entry = entry .. '|' .. KEYS[k] end
  if redis.call('HSETNX', bridge, id, entry) == 1 then
    new = new + 1
    for k = key, key + count - 1 do redis.call('INCRBY', KEYS[k], amount) end
  end
  key = key + count
end
return new
`;

/**
 * A ledger read finished: set each scope's month-to-date spend and drop the bridge entries that were
 * bridged before the read began (they are all in the ledger). KEYS: bridge, sentinel, then per scope:
 * its ledger counter. ARGV: number of scopes, each scope's ledger value, then the bridged event ids.
 */
export const REFRESH_SCRIPT = `
local bridge, sentinel = KEYS[1], KEYS[2]
local scopes = tonumber(ARGV[1])
for i = 1, scopes do redis.call('SET', KEYS[2 + i], ARGV[1 + i]) end
for i = scopes + 2, #ARGV do
  local entry = redis.call('HGET', bridge, ARGV[i])
  if entry then
    local amount = nil
    for part in string.gmatch(entry, '[^|]+') do
      if amount == nil then amount = part else redis.call('DECRBY', part, amount) end
    end
    redis.call('HDEL', bridge, ARGV[i])
  end
end
redis.call('SET', sentinel, '1')
return scopes
`;

/**
 * Sliding-window request cap. KEYS: the key's admission log. ARGV: now (ms), window (ms), cap, a
 * unique member. Returns {1, 0} when admitted, {0, retry after ms} when not.
 */
export const CAP_SCRIPT = `
local log, now, window, cap = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
if redis.call('ZCARD', log) < cap then
  redis.call('ZADD', log, now, ARGV[4])
  redis.call('PEXPIRE', log, window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', log, 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now}
`;
