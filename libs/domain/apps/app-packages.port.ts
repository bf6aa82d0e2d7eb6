/**
 * Removes a deleted app's packages and their bits. The packages context implements it; apps
 * cannot depend on packages (packages depends on apps), so the app's deletion asks through this
 * port, in the same job, so the packages are gone when the deletion is COMPLETE.
 */
export const APP_PACKAGES = Symbol('APP_PACKAGES');

export interface AppPackages {
  purge(appGuid: string): Promise<void>;
}
