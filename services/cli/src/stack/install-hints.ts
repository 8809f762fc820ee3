/** How to get the servers Switchyard needs, shown when none answers and none can be started. */
export const installHints = {
  nats:
    'install nats-server (Debian/Ubuntu: apt-get install nats-server; macOS: brew install nats-server), ' +
    'start a Docker engine (then `switchyard up` runs nats:2.10-alpine), ' +
    'or point NATS_URL at a nats-server started with -js',
  redis:
    'install redis-server (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), ' +
    'start a Docker engine (then `switchyard up` runs redis:7-alpine), ' +
    'or point REDIS_URL at a Redis server',
} as const;
