/**
 * What an app's bindings put in its environment: VCAP_SERVICES and DATABASE_URL. The services
 * context implements it; apps cannot depend on services (services depend on apps), so the
 * environment asks through this port and sees no bindings where services are not loaded.
 */
export const APP_SERVICE_BINDINGS = Symbol('APP_SERVICE_BINDINGS');

export interface AppServiceBindings {
  environmentOf(
    appGuid: string,
  ): Promise<{ vcapServices: Record<string, unknown[]>; databaseUrl: string | null }>;
}
