/** How to get the servers Switchyard needs, shown when neither answers nor can be started. */
export const installHints = {
  nats:
    'install nats-server (Debian/Ubuntu: apt-get install nats-server; macOS: brew install nats-server), ' +
    'or point NATS_URL at a nats-server started with -js',
  redis:
    'install redis-server (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), ' +
    'or point REDIS_URL at a Redis server',
} as const;
