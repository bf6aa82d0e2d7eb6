import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const STATE = process.env.WHARF_E2E_STATE_DIR ?? resolve(ROOT, '.state/e2e');

/**
 * The e2e installation: started by the real scripts/up.sh, but with its own state directory,
 * PostgreSQL cluster, Redis, API port, queue prefix and container label, so that killing its
 * processes cannot disturb a developer's running platform.
 */
export const E2E = {
  root: ROOT,
  stateDir: STATE,
  apiUrl: 'http://127.0.0.1:9200',
  pgPort: '5433',
  redisPort: '6380',
  routerPort: '8280',
  /** Wharf's own engine, which scripts/up.sh starts (WHARF_DOCKER_SOCK overrides it there too). */
  dockerHost: `unix://${process.env.WHARF_DOCKER_SOCK ?? '/run/wharf/docker.sock'}`,
  home: resolve(STATE, 'home'),
  /** The networks scripts/up.sh makes for installation e2e. */
  appsNetwork: 'wharf-e2e-apps',
  stagingNetwork: 'wharf-e2e-staging',
  env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      WHARF_STATE_DIR: STATE,
      WHARF_API_PORT: '9200',
      WHARF_API_URL: 'http://127.0.0.1:9200',
      WHARF_PG_PORT: '5433',
      WHARF_PG_CLUSTER: 'wharf-e2e',
      WHARF_SERVICES_PG_PORT: '5436',
      WHARF_REDIS_PORT: '6380',
      WHARF_ROUTER_PORT: '8280',
      WHARF_DB_NAME: 'wharf_e2e',
      WHARF_QUEUE_PREFIX: 'wharf-e2e',
      WHARF_INSTALLATION: 'e2e',
      WHARF_BIN_LINK: '',
      WHARF_HOME: resolve(STATE, 'home'),
      NO_COLOR: '1',
    };
  },
};
