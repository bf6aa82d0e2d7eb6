export * from './haproxy.controller';
export * from './udp-listener';
